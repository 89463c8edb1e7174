/**
 * Presigned part URLs come from the platform's answer and get the file's bytes: a URL naming an
 * internal address (a private network, carrier-grade NAT where some clouds answer metadata, IPv6
 * unique-local), or a name resolving to one, is refused unless the API itself is on an internal
 * host (the emulator). Names are checked on the addresses they resolve to when the PUT connects,
 * with the resolver injected here so no real DNS is asked.
 */
import { describe, expect, it } from 'vitest';
import { partUrlPolicy, partUrlProblem } from '../src/media/partUrlPolicy.js';
import { PartPutFailure, putPart } from '../src/media/putPart.js';
import { resolvingTo, usePartStorage } from './support/partStorage.js';

const OVER_HTTPS = partUrlPolicy('https://api.sgroup.qq.com');

describe('partUrlProblem, internal addresses', () => {
  it.each([
    ['https://10.0.0.5/x', /private network/],
    ['https://172.16.0.1/x', /private network/],
    ['https://172.31.255.254/x', /private network/],
    ['https://192.168.1.1/x', /private network/],
    ['https://0.0.0.1/x', /this network/],
    ['https://100.100.100.200/latest/meta-data', /carrier-grade NAT/],
    ['https://100.64.0.1/x', /carrier-grade NAT/],
    ['https://[fd00::1]/x', /unique-local/],
    ['https://[fc00::1]/x', /unique-local/],
    ['https://[febf::1]/x', /link-local/],
    ['https://[::ffff:10.0.0.5]/x', /private network/],
    ['https://[::ffff:a9fe:a9fe]/x', /link-local/],
    ['https://[64:ff9b::10.0.0.5]/x', /private network/],
    ['https://127.0.0.1/x', /loopback/],
    ['https://localhost./x', /loopback/],
  ])('refuses %s from an API on https', (url, why) => {
    const problem = partUrlProblem(url, OVER_HTTPS);
    expect(problem).toMatch(why);
    expect(problem).toMatch(/internal host/);
  });

  it.each([
    'https://cos.ap-guangzhou.myqcloud.com/p',
    'https://172.32.0.1/x',
    'https://172.15.255.255/x',
    'https://100.128.0.1/x',
    'https://[2001:db8::1]/x',
    'https://[64:ff9b::808:808]/x',
    'https://1.0.0.0/x',
  ])('takes %s', (url) => {
    expect(partUrlProblem(url, OVER_HTTPS)).toBeUndefined();
  });

  it('takes private-network part URLs from an API that is itself on one', () => {
    expect(partUrlProblem('http://10.0.0.9:9000/p', partUrlPolicy('http://10.0.0.5:8080'))).toBeUndefined();
  });
});

const storage = usePartStorage();

function put(url: string, network: Parameters<typeof putPart>[6]): Promise<unknown> {
  return putPart(url, Buffer.alloc(10), 10, 10_000, new AbortController().signal, undefined, network).catch(
    (error: unknown) => error,
  );
}

describe('putPart, a part URL naming a host that resolves to an internal address', () => {
  it('refuses the PUT when the name resolves to loopback, naming the host, the address and why', async () => {
    const host = await storage();
    const lookup = resolvingTo('127.0.0.1');
    const failure = await put(`http://127.0.0.1.nip.io:${host.port}/part`, { lookup });
    expect(lookup.asked).toEqual(['127.0.0.1.nip.io']);
    expect(failure).toBeInstanceOf(PartPutFailure);
    expect(failure).toMatchObject({ retryable: false });
    expect((failure as Error).message).toMatch(/127\.0\.0\.1\.nip\.io resolved to 127\.0\.0\.1, a loopback/);
    expect(host.seen()).toBe(0);
  });

  it('refuses it when any of the addresses is the metadata service', async () => {
    const host = await storage();
    const failure = await put(`http://storage.example:${host.port}/part`, {
      lookup: resolvingTo('203.0.113.7', '169.254.169.254'),
    });
    expect((failure as Error).message).toMatch(
      /storage\.example resolved to 169\.254\.169\.254, a cloud metadata/,
    );
    expect(host.seen()).toBe(0);
  });

  it('connects when the API is internal too (the emulator reached by name)', async () => {
    const host = await storage();
    const md5 = await put(`http://storage.example:${host.port}/part`, {
      lookup: resolvingTo('127.0.0.1'),
      allowInternal: true,
    });
    expect(md5).toMatch(/^[0-9a-f]{32}$/);
    expect(host.seen()).toBe(1);
  });

  it('lets a URL naming an internal host by itself through: the policy already took it from an internal API', async () => {
    const host = await storage();
    expect(await put(`http://127.0.0.1:${host.port}/part`, undefined)).toMatch(/^[0-9a-f]{32}$/);
    expect(await put(`http://localhost:${host.port}/part`, { lookup: resolvingTo('127.0.0.1') })).toMatch(
      /^[0-9a-f]{32}$/,
    );
    expect(host.seen()).toBe(2);
  });
});
