import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MediaUploadError } from '@bot/http';
import { partUrlPolicy } from '../src/media/partUrlPolicy.js';
import { readUploadPlan } from '../src/media/readUploadPlan.js';

const KiB = 1024;
/** A file of two parts in blocks of the 64 KiB floor. */
const S = 100 * KiB;
const B = 64 * KiB;
const OVER_HTTPS = partUrlPolicy('https://api.sgroup.qq.com');
const url = (index: number) => `https://cos.example/part-${index}?sign=x`;
const answer = (size: number, block: number, first: number, link: (index: number) => string = url) => ({
  upload_id: 'up-1',
  block_size: String(block),
  parts: Array.from({ length: Math.ceil(size / block) }, (_, i) => ({
    index: first + i,
    presigned_url: link(first + i),
  })),
});

/** The problem `readUploadPlan` names for an answer, or `undefined` when it takes it. */
function refusal(raw: unknown, size: number, policy = OVER_HTTPS): string | undefined {
  try {
    readUploadPlan(raw, size, policy);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'prepare' });
    return (error as Error).message;
  }
}

describe('readUploadPlan', () => {
  it('places parts numbered from 0 or 1, in any order, so they cover the file exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 64 * KiB, max: 512 * KiB }),
        fc.constantFrom(0, 1),
        fc.boolean(),
        (size, block, first, reversed) => {
          const raw = answer(size, block, first);
          if (reversed) raw.parts.reverse();
          const plan = readUploadPlan(raw, size, OVER_HTTPS);
          let next = 0;
          plan.parts.forEach((part, position) => {
            expect(part.index).toBe(first + position);
            expect(part.url).toBe(url(part.index));
            expect(part.offset).toBe(next);
            expect(part.length).toBeGreaterThan(0);
            expect(part.length).toBeLessThanOrEqual(block);
            next += part.length;
          });
          expect(next).toBe(size);
        },
      ),
    );
  });

  it('reads the settings at the top level or under upload_config, capping concurrency at 10', () => {
    const plan = (extra: object) => readUploadPlan({ ...answer(S, B, 1), ...extra }, S, OVER_HTTPS);
    expect(plan({ concurrency: '4', retry_timeout: 30 })).toMatchObject({
      concurrency: 4,
      retryTimeoutMs: 30_000,
    });
    expect(plan({ upload_config: { concurrency: 50, retry_timeout: 5000 } })).toMatchObject({
      concurrency: 10,
      retryTimeoutMs: 600_000,
    });
    expect(plan({}).concurrency).toBe(1);
  });

  it('takes a block under 64 KiB only when one block holds the whole file', () => {
    expect(refusal(answer(10, 5, 1), 10)).toMatch(/block_size 5 is under the 65536-byte floor/);
    expect(refusal(answer(100 * KiB, 1024, 1), 100 * KiB)).toMatch(
      /block_size 1024 is under the 65536-byte floor/,
    );
    expect(refusal(answer(50, 64, 1), 50)).toBeUndefined();
  });

  it('refuses more than 10,000 parts, however the blocks are sized', () => {
    const size = 10_001 * 64 * KiB;
    expect(
      refusal({ upload_id: 'u', block_size: 64 * KiB, parts: [{ index: 1, presigned_url: url(1) }] }, size),
    ).toMatch(/10001 parts are over the ceiling of 10000/);
  });

  it("checks each part's own block_size against its place in the file", () => {
    const raw = answer(150 * KiB, 64 * KiB, 1);
    const sized = raw.parts.map((part, i) => ({
      ...part,
      block_size: String([64 * KiB, 64 * KiB, 22 * KiB][i]),
    }));
    expect(refusal({ ...raw, parts: sized }, 150 * KiB)).toBeUndefined();
    sized[2] = { ...sized[2]!, block_size: String(64 * KiB) };
    expect(refusal({ ...raw, parts: sized }, 150 * KiB)).toMatch(
      /part 3 states block_size 65536, but its place in the file holds 22528/,
    );
    sized[2] = { ...sized[2]!, block_size: 'lots' };
    expect(refusal({ ...raw, parts: sized }, 150 * KiB)).toMatch(
      /parts\[2\]\.block_size a string \("lots"\) is not a positive integer/,
    );
  });

  it.each([
    ['garbage', 'not a url', /is not an http\(s\) URL/],
    ['a file: URL', 'file:///etc/passwd', /is not an http\(s\) URL/],
    [
      'plain http while the API is https',
      'http://cos.example/p',
      /is plain http: while the API is reached over https:/,
    ],
    [
      'the cloud metadata address',
      'https://169.254.169.254/latest/meta-data',
      /link-local host \(169\.254\.169\.254\)/,
    ],
    ['loopback by name', 'https://localhost:8080/p', /loopback or link-local host \(localhost\)/],
    ['loopback as a bare number', 'https://2130706433/p', /\(127\.0\.0\.1\)/],
    ['IPv6 loopback', 'https://[::1]/p', /\(\[::1\]\)/],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/p', /loopback or link-local host/],
    ['IPv6 link-local', 'https://[fe80::1]/p', /loopback or link-local host/],
  ])('refuses a part URL that is %s, when the API is on https', (_, link, problem) => {
    expect(
      refusal(
        answer(10, 10, 1, () => link),
        10,
      ),
    ).toMatch(problem);
  });

  it('takes http and loopback part URLs from an API that is itself plain http on loopback (the emulator)', () => {
    const local = partUrlPolicy('http://127.0.0.1:8080');
    expect(
      refusal(
        answer(10, 10, 1, () => 'http://127.0.0.1:8080/_storage/parts/u/1'),
        10,
        local,
      ),
    ).toBeUndefined();
    // Plain http on a public host is all a plain-http API allows: still no metadata address.
    const plain = partUrlPolicy('http://api.internal.example');
    expect(
      refusal(
        answer(10, 10, 1, () => 'http://cos.example/p'),
        10,
        plain,
      ),
    ).toBeUndefined();
    expect(
      refusal(
        answer(10, 10, 1, () => 'http://169.254.169.254/'),
        10,
        plain,
      ),
    ).toMatch(/link-local/);
  });

  it.each([
    ['not an object', 'nope', /not a JSON object/],
    ['no upload id', { ...answer(S, B, 1), upload_id: '' }, /upload_id is missing/],
    [
      'a zero block size',
      { ...answer(S, B, 1), block_size: 0 },
      /block_size a number \(0\) is not a positive integer/,
    ],
    [
      'too few parts',
      { ...answer(S, B, 1), parts: answer(S, B, 1).parts.slice(1) },
      /1 parts for 102400 bytes/,
    ],
    ['numbering from 2', answer(S, B, 2), /start at 2/],
    [
      'a gap',
      {
        ...answer(S, B, 1),
        parts: [
          { index: 1, presigned_url: url(1) },
          { index: 3, presigned_url: url(3) },
        ],
      },
      /not consecutive/,
    ],
  ])('refuses an answer with %s, naming the problem', (_, raw, problem) => {
    expect(refusal(raw, S)).toMatch(problem);
  });
});
