import { describe, expect, it } from 'vitest';
import { BotApi, DecodeError, MediaFileType, MediaUploadError } from '@bot/http';
import { partUrlPolicy } from '../src/media/partUrlPolicy.js';
import { readUploadPlan } from '../src/media/readUploadPlan.js';
import { useRestFixture } from './support/restFixture.js';

// Fields of an upload answer the platform chooses are described in errors by type and a short,
// escaped preview: a value nested deep or megabytes long neither overflows the stack nor makes the
// error as long as itself. A 2xx answer to `files` the client could not read still reached the
// platform, which may have taken the file.

/** Arrays nested `depth` deep, as JSON text. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const LONG = 'x'.repeat(900_000);

describe('an upload answer with odd fields', () => {
  const fixture = useRestFixture();
  const upload = () =>
    new BotApi(fixture.client({ retries: 0 })).groups
      .uploadMedia('g1', Buffer.from('abcdef'), { fileType: MediaFileType.Image, reuse: false })
      .catch((error: unknown) => error);

  it.each([
    ['nested 20,000 arrays deep', nested(20_000), 'an array ([[['],
    ['a 900 KB string', JSON.stringify(LONG), 'a string of 900000 characters ("xxx'],
  ])('refuses a files answer whose ttl is %s with a short MediaUploadError', async (_name, ttl, shown) => {
    fixture.platform.handler = () => ({
      status: 200,
      raw: `{"file_uuid":"u","file_info":"fi","ttl":${ttl}}`,
    });
    const error = await upload();
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'plain', mayHaveBeenSent: true });
    expect((error as Error).message).toContain(`ttl ${shown}`);
    expect((error as Error).message.length).toBeLessThan(1000);
  });

  it.each([
    ['42', 'a number'],
    ['"ok"', 'a string'],
    ['not json', undefined],
  ])('says a files call answered 200 with %s may have been taken', async (raw, found) => {
    fixture.platform.handler = () => ({ status: 200, raw });
    const error = await upload();
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'plain', mayHaveBeenSent: true });
    const cause = (error as MediaUploadError).cause;
    expect(cause).toBeInstanceOf(DecodeError);
    expect(cause).toMatchObject({ status: 200, found, mayHaveBeenSent: true });
  });
});

describe('an upload_prepare answer with an odd block_size', () => {
  const policy = partUrlPolicy('https://api.sgroup.qq.com');
  const part = { index: 1, presigned_url: 'https://cos.example/part-1?sign=x' };
  const refusal = (answer: unknown): MediaUploadError => {
    try {
      readUploadPlan(answer, 1000, policy);
    } catch (error) {
      expect(error).toBeInstanceOf(MediaUploadError);
      return error as MediaUploadError;
    }
    throw new Error('the answer was taken');
  };

  it.each([
    ['nested 20,000 arrays deep', nested(20_000), 'an array ([[['],
    ['a 900 KB string', JSON.stringify(LONG), 'a string of 900000 characters ("xxx'],
  ])('names a block_size %s briefly', (_name, value, shown) => {
    const error = refusal(JSON.parse(`{"upload_id":"up-1","block_size":${value},"parts":[]}`));
    expect(error.message).toContain(`block_size ${shown}`);
    expect(error.message.length).toBeLessThan(1000);
  });

  it.each([
    ['nested 20,000 arrays deep', nested(20_000), 'an array ([[['],
    ['a 900 KB string', JSON.stringify(LONG), 'a string of 900000 characters ("xxx'],
  ])("names a part's block_size %s briefly", (_name, value, shown) => {
    const answer = JSON.parse(`{"upload_id":"up-1","block_size":1000,"parts":[{"block_size":${value}}]}`);
    Object.assign(answer.parts[0], part);
    const error = refusal(answer);
    expect(error.message).toContain(`parts[0].block_size ${shown}`);
    expect(error.message.length).toBeLessThan(1000);
  });
});
