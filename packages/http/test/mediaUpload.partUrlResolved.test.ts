/**
 * A part URL names its storage host, and the name is checked on the addresses it resolves to when
 * the PUT connects. The platform's hosts are public COS names (`*.cos.<region>.myqcloud.com`),
 * which a server in the bucket's own cloud region resolves through its private DNS to an intranet
 * address (10.x, 100.64/10, 169.254.x): those are let through. Only what no storage host resolves
 * to is refused: loopback, the unspecified address and the cloud metadata services. An address
 * written in the URL itself is judged strictly, as the platform hands out names. The resolver is
 * injected, no real DNS is asked.
 */
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  guardedLookup,
  InternalHostRefusal,
  partUrlPolicy,
  partUrlProblem,
} from '../src/media/partUrlPolicy.js';
import { PartPutFailure, putPart } from '../src/media/putPart.js';
import { resolvingTo as answering, usePartStorage } from './support/partStorage.js';

const OVER_HTTPS = partUrlPolicy('https://api.sgroup.qq.com');
const COS = 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com';

const storage = usePartStorage();

/** What the guarded lookup hands the connection for the COS name, in the single or the `all` form. */
async function guarded(
  lookup: LookupFunction,
  all: boolean,
): Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[] }> {
  return new Promise((resolve) =>
    guardedLookup(lookup)(COS, { all }, (error, address) => resolve({ error, address })),
  );
}

describe('the guarded lookup, a COS-like name resolving to an intranet address', () => {
  it.each(['10.148.12.3', '100.67.1.2', '169.254.0.47', '172.16.5.4', '192.168.3.9', 'fd12::7', 'fe80::1'])(
    'hands %s on to the connection: a cloud region resolving its storage host privately',
    async (address) => {
      const single = await guarded(answering(address), false);
      expect(single.error).toBeNull();
      expect(single.address).toBe(address);
      const all = await guarded(answering('203.0.113.9', address), true);
      expect(all.error).toBeNull();
      expect(all.address).toEqual([
        { address: '203.0.113.9', family: 4 },
        { address, family: address.includes(':') ? 6 : 4 },
      ]);
    },
  );
});

describe('putPart, a name resolving to where no storage host is', () => {
  it.each([
    ['127.0.0.1', /resolved to 127\.0\.0\.1, a loopback address/],
    ['127.3.4.5', /a loopback address/],
    ['::1', /resolved to ::1, a loopback address/],
    ['::ffff:127.0.0.1', /a loopback address/],
    ['0.0.0.0', /an unspecified address/],
    ['::', /an unspecified address/],
    ['169.254.169.254', /resolved to 169\.254\.169\.254, a cloud metadata address/],
    ['169.254.0.23', /a cloud metadata address/],
    ['100.100.100.200', /resolved to 100\.100\.100\.200, a cloud metadata address/],
    ['fd00:ec2::254', /a cloud metadata address/],
    ['::ffff:169.254.169.254', /a cloud metadata address/],
    ['64:ff9b::a9fe:a9fe', /a cloud metadata address/],
  ])('refuses the PUT when the name resolves to %s, without retrying', async (address, why) => {
    const host = await storage();
    const lookup = answering(address);
    const failure = await putPart(
      `http://${COS}:${host.port}/part1?sign=x`,
      Buffer.alloc(10),
      10,
      10_000,
      new AbortController().signal,
      undefined,
      { allowInternal: OVER_HTTPS.allowInternal, lookup },
    ).catch((error: unknown) => error);
    expect(lookup.asked).toEqual([COS]);
    expect(failure).toBeInstanceOf(PartPutFailure);
    expect(failure).toMatchObject({ retryable: false });
    expect((failure as Error).cause).toBeInstanceOf(InternalHostRefusal);
    expect((failure as Error).message).toMatch(why);
    expect((failure as Error).message).toContain(COS);
    expect(host.seen()).toBe(0);
  });

  it('refuses a name when any of its addresses is the metadata service, among intranet ones', async () => {
    const answer = await guarded(answering('10.148.12.3', '169.254.169.254'), true);
    expect(answer.error).toBeInstanceOf(InternalHostRefusal);
    expect(answer.error).toMatchObject({ code: 'EINTERNALHOST' });
  });
});

describe('partUrlProblem, address literals the platform would not give', () => {
  it.each([
    ['https://[::127.0.0.1]/x', /loopback/],
    ['https://[::10.0.0.5]/x', /private network/],
    ['https://[::ffff:0:10.0.0.5]/x', /private network/],
    ['https://[::ffff:0:a9fe:a9fe]/x', /link-local/],
    ['https://[64:ff9b:1::10.0.0.5]/x', /private network/],
    ['https://[64:ff9b:1::7f00:1]/x', /loopback/],
    ['https://[fec0::1]/x', /site-local/],
    ['https://198.18.0.1/x', /benchmarking/],
    ['https://198.19.255.254/x', /benchmarking/],
    ['https://192.0.0.1/x', /IETF protocol/],
    ['https://224.0.0.1/x', /multicast/],
    ['https://239.255.255.250/x', /multicast/],
    ['https://240.0.0.1/x', /reserved/],
    ['https://255.255.255.255/x', /broadcast/],
    ['https://[ff02::1]/x', /multicast/],
  ])('refuses %s from an API on https', (url, why) => {
    const problem = partUrlProblem(url, OVER_HTTPS);
    expect(problem).toMatch(why);
    expect(problem).toMatch(/internal host/);
  });

  it.each([
    `https://${COS}/part1`,
    'https://198.20.0.1/x',
    'https://192.0.1.1/x',
    'https://223.255.255.255/x',
    'https://[::808:808]/x',
    'https://[::ffff:0:808:808]/x',
    'https://[64:ff9b:1::808:808]/x',
    'https://[64:ff9b:2::a00:5]/x',
  ])('takes %s', (url) => {
    expect(partUrlProblem(url, OVER_HTTPS)).toBeUndefined();
  });
});
