import { afterAll, describe, expect, it } from 'vitest';
import {
  ClientDestroyedError,
  FileInfoCache,
  MediaFileType,
  MediaUploader,
  NetworkError,
  RestClient,
  Token,
  ValidationError,
} from '@bot/http';
import { isRetryable } from '../src/media/uploadParts.js';

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

describe('which part failures are tried again', () => {
  it('retries a network failure, but not the ClientDestroyedError of a REST client shut down', () => {
    expect(
      isRetryable(new NetworkError('POST', '/v2/groups/{group_openid}/upload_part_finish', 'ECONNRESET')),
    ).toBe(true);
    expect(
      isRetryable(new ClientDestroyedError('POST', '/v2/groups/{group_openid}/upload_part_finish')),
    ).toBe(false);
  });
});
