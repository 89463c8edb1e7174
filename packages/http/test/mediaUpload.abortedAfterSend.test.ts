import { AbortedAfterSendError, MediaFileType, MediaUploader } from '@bot/http';
import { describe, expect, it } from 'vitest';
import { until, useRestFixture } from './support/restFixture.js';

// An upload POST its caller's signal cuts off once the body reached the platform may have been
// taken: the upload rejects with the REST client's AbortedAfterSendError (mayHaveBeenSent), not
// the bare reason, so a caller does not take it for an upload that never happened.

const GROUP = { scene: 'group', id: 'G1' } as const;

describe('an upload POST cut off by its signal', () => {
  const fixture = useRestFixture();
  const posts = () => fixture.platform.requests.filter((r) => r.method === 'POST').length;

  it.each([
    ['bytes', Buffer.from('a small picture')],
    ['a URL the platform fetches', new URL('https://example.com/picture.png')],
  ])(
    'after its body reached the platform (%s): may have been sent, the reason as cause',
    async (_, source) => {
      fixture.platform.handler = () => ({ hang: true });
      const uploader = new MediaUploader(fixture.client(), { cache: false });
      const caller = new AbortController();
      const upload = uploader
        .upload(GROUP, source, { fileType: MediaFileType.Image, signal: caller.signal })
        .catch((e: unknown) => e);
      await until(() => posts() === 1);
      const reason = new Error('operator cancelled');
      caller.abort(reason);
      const error = await upload;
      expect(error).toBeInstanceOf(AbortedAfterSendError);
      expect(error).toMatchObject({ mayHaveBeenSent: true, method: 'POST' });
      expect((error as Error).cause).toBe(reason);
    },
  );

  it('before anything went out: the reason itself', async () => {
    const uploader = new MediaUploader(fixture.client(), { cache: false });
    const caller = new AbortController();
    const reason = new Error('operator cancelled');
    caller.abort(reason);
    await expect(
      uploader.upload(GROUP, Buffer.from('a small picture'), {
        fileType: MediaFileType.Image,
        signal: caller.signal,
      }),
    ).rejects.toBe(reason);
    expect(posts()).toBe(0);
  });
});
