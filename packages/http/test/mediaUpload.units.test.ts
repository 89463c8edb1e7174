import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FileInfoCache,
  MediaFileType,
  MediaUploader,
  MediaUploadError,
  RestClient,
  Token,
  ValidationError,
} from '@bot/http';
import { readUploadPlan } from '../src/media/readUploadPlan.js';

const result = (fileInfo: string, ttl: number) => ({ file_uuid: 'u', file_info: fileInfo, ttl });

describe('FileInfoCache', () => {
  it('hands an entry back with the seconds it has left, until a minute before the platform expiry', () => {
    let now = 0;
    const cache = new FileInfoCache({ now: () => now });
    cache.set('k', result('info', 3600));
    now = 1_000_000;
    expect(cache.get('k')).toEqual(result('info', 2600));
    now = 3_540_000 - 1;
    expect(cache.get('k')?.file_info).toBe('info');
    now = 3_540_000;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps a ttl of 0 (long-lived) without expiry, and does not keep one shorter than the margin', () => {
    let now = 0;
    const cache = new FileInfoCache({ now: () => now, margin: 60_000 });
    cache.set('forever', result('a', 0));
    cache.set('brief', result('b', 30));
    now = 10 ** 12;
    expect(cache.get('forever')).toEqual(result('a', 0));
    expect(cache.get('brief')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const cache = new FileInfoCache({ maxEntries: 2 });
    cache.set('a', result('a', 0));
    cache.set('b', result('b', 0));
    cache.get('a');
    cache.set('c', result('c', 0));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.file_info).toBe('a');
    expect(cache.get('c')?.file_info).toBe('c');
  });
});

describe('readUploadPlan', () => {
  const url = (index: number) => `https://cos.example/part-${index}?sign=x`;
  const answer = (size: number, block: number, first: number) => ({
    upload_id: 'up-1',
    block_size: String(block),
    parts: Array.from({ length: Math.ceil(size / block) }, (_, i) => ({
      index: first + i,
      presigned_url: url(first + i),
    })),
  });

  it('places parts numbered from 0 or 1, in any order, so they cover the file exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom(0, 1),
        fc.boolean(),
        (size, block, first, reversed) => {
          const raw = answer(size, block, first);
          if (reversed) raw.parts.reverse();
          const plan = readUploadPlan(raw, size);
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
    expect(readUploadPlan({ ...answer(10, 5, 1), concurrency: '4', retry_timeout: 30 }, 10)).toMatchObject({
      concurrency: 4,
      retryTimeoutMs: 30_000,
    });
    expect(
      readUploadPlan({ ...answer(10, 5, 1), upload_config: { concurrency: 50, retry_timeout: 5000 } }, 10),
    ).toMatchObject({
      concurrency: 10,
      retryTimeoutMs: 600_000,
    });
    expect(readUploadPlan(answer(10, 5, 1), 10).concurrency).toBe(1);
  });

  it.each([
    ['not an object', 'nope', /not a JSON object/],
    ['no upload id', { ...answer(10, 5, 1), upload_id: '' }, /upload_id is missing/],
    ['a zero block size', { ...answer(10, 5, 1), block_size: 0 }, /block_size 0/],
    [
      'too few parts',
      { ...answer(10, 5, 1), parts: answer(10, 5, 1).parts.slice(1) },
      /1 parts for 10 bytes/,
    ],
    ['numbering from 2', answer(10, 5, 2), /start at 2/],
    [
      'a gap',
      {
        ...answer(10, 5, 1),
        parts: [
          { index: 1, presigned_url: url(1) },
          { index: 3, presigned_url: url(3) },
        ],
      },
      /not consecutive/,
    ],
    [
      'a URL that is not http(s)',
      {
        ...answer(10, 5, 1),
        parts: [
          { index: 1, presigned_url: url(1) },
          { index: 2, presigned_url: 'file:///etc/passwd' },
        ],
      },
      /parts\[1\]\.presigned_url is not an http\(s\) URL/,
    ],
  ])('refuses an answer with %s, naming the problem', (_, raw, problem) => {
    const error = (() => {
      try {
        readUploadPlan(raw, 10);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'prepare' });
    expect((error as Error).message).toMatch(problem);
  });
});

describe('MediaUploader arguments', () => {
  // Nothing listens there: a refused argument must fail before anything is sent.
  const rest = new RestClient({
    token: new Token('app', 'secret'),
    baseUrl: 'http://127.0.0.1:9',
    tokenUrl: 'http://127.0.0.1:9/token',
  });
  const uploader = new MediaUploader(rest);
  const group = { scene: 'group', id: 'g1' } as const;
  afterAll(() => rest.destroy());

  it.each([
    ['an unknown media type', group, { fileType: 9 }, 'options.fileType'],
    [
      'a threshold over the 20 MiB a files call carries',
      group,
      { fileType: MediaFileType.Image, chunkedThreshold: 20 * 1024 * 1024 + 1 },
      'options.chunkedThreshold',
    ],
    ['no parts at once', group, { fileType: MediaFileType.Image, concurrency: 0 }, 'options.concurrency'],
    [
      'more than 10 retries',
      group,
      { fileType: MediaFileType.Image, partRetries: 11 },
      'options.partRetries',
    ],
    ['a guild as target', { scene: 'guild', id: 'g1' }, { fileType: MediaFileType.Image }, 'target.scene'],
    ['an empty chat id', { scene: 'c2c', id: ' ' }, { fileType: MediaFileType.Image }, 'target.id'],
  ])('refuses %s with a ValidationError naming it', async (_, target, options, field) => {
    const error = await uploader
      .upload(target as never, Buffer.from('x'), options as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
  });
});
