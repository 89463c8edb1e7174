/**
 * The part URL policy is decided once, from the API's base URL, and `uploadParts` hands that
 * decision to each part PUT: the check of the URL's text when the plan is read and the check of
 * the resolved addresses when the PUT connects then agree. The resolver is injected, no real DNS.
 */
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MediaUploadError } from '../src/media/MediaUploadError.js';
import { partUrlPolicy } from '../src/media/partUrlPolicy.js';
import { PartPutFailure } from '../src/media/putPart.js';
import { uploadParts, type PartUploadOptions } from '../src/media/uploadParts.js';
import { resolvingTo, usePartStorage } from './support/partStorage.js';

const storage = usePartStorage();

/** Uploads one 10-byte part to `url` under the policy of an API at `apiBaseUrl`. */
async function uploadOnePart(url: string, apiBaseUrl: string, lookup: LookupFunction): Promise<unknown> {
  const finished: string[] = [];
  const options: PartUploadOptions = {
    content: { kind: 'bytes', bytes: Buffer.alloc(10), size: 10 },
    parts: [{ index: 1, url, offset: 0, length: 10 }],
    concurrency: 1,
    finish: async (_part, md5) => {
      finished.push(md5);
    },
    onPartDone: () => {},
    onPartSent: () => {},
    partTimeout: 10_000,
    partRetries: 2,
    backoff: { base: 1, max: 1 },
    notReadyPatience: undefined,
    signal: undefined,
    network: { allowInternal: partUrlPolicy(apiBaseUrl).allowInternal, lookup },
  };
  try {
    await uploadParts(options);
    return finished;
  } catch (error) {
    return error;
  }
}

describe('uploadParts, the part URL policy passed to each PUT', () => {
  it('connects to a name resolving to loopback when the API itself is internal (a private deployment)', async () => {
    const host = await storage();
    const lookup = resolvingTo('127.0.0.1');
    const outcome = await uploadOnePart(
      `http://storage.internal.example:${host.port}/p`,
      'http://10.0.0.5:8080',
      lookup,
    );
    expect(outcome).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect(lookup.asked).toEqual(['storage.internal.example']);
    expect(host.seen()).toBe(1);
  });

  it('refuses an internal host the URL names itself when the API is not internal, without retrying', async () => {
    const host = await storage();
    const lookup = resolvingTo('127.0.0.1');
    const outcome = await uploadOnePart(`http://localhost:${host.port}/p`, 'http://api.example', lookup);
    expect(outcome).toBeInstanceOf(MediaUploadError);
    expect(outcome).toMatchObject({ stage: 'part', attempts: 1 });
    expect((outcome as Error).cause).toBeInstanceOf(PartPutFailure);
    expect((outcome as Error).message).toMatch(/localhost/);
    expect((outcome as Error).message).toMatch(/loopback/);
    expect(host.seen()).toBe(0);
  });

  it('refuses an internal address literal when the API is not internal, though no lookup is asked for it', async () => {
    const host = await storage();
    const lookup = resolvingTo('127.0.0.1');
    const outcome = await uploadOnePart(`http://127.0.0.1:${host.port}/p`, 'http://api.example', lookup);
    expect(outcome).toBeInstanceOf(MediaUploadError);
    expect((outcome as Error).message).toMatch(/host is 127\.0\.0\.1, a loopback/);
    expect(lookup.asked).toEqual([]);
    expect(host.seen()).toBe(0);
  });

  it('still refuses a name resolving to loopback when the API is not internal', async () => {
    const host = await storage();
    const lookup = resolvingTo('127.0.0.1');
    const outcome = await uploadOnePart(
      `http://storage.example:${host.port}/p`,
      'http://api.example',
      lookup,
    );
    expect((outcome as Error).message).toMatch(/storage\.example resolved to 127\.0\.0\.1, a loopback/);
    expect(host.seen()).toBe(0);
  });
});
