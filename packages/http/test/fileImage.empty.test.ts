import { describe, expect, it } from 'vitest';
import { MessageParams, ValidationError } from '@bot/http';
import { useFakeApi } from './support/fakeApi.js';

// An empty group or C2C file is refused before any request (MediaUploadError, stage source); a guild
// message's local image of 0 bytes went out and was accepted. It is no image: refuse it the same
// way, before sending, naming the field.

describe('a guild file image of 0 bytes', () => {
  const fake = useFakeApi();

  it.each([
    ['a Buffer', Buffer.alloc(0)],
    ['a Uint8Array', new Uint8Array(0)],
    ['a Blob', new Blob([])],
  ])('is refused when given as %s, nothing sent', async (_name, data) => {
    for (const send of [
      () => fake.api.messages.send('c1', MessageParams.fileImage({ name: 'a.png', data })),
      () => fake.api.dms.send('g1', MessageParams.text('see').withFileImage({ name: 'a.png', data })),
    ]) {
      const error = await send().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'params.fileImage.data' });
      expect((error as Error).message).toContain('is empty (0 bytes)');
    }
    expect(fake.platform.requests).toHaveLength(0);
  });

  it('takes an image of one byte', async () => {
    await fake.api.messages.send('c1', MessageParams.fileImage({ name: 'a.png', data: new Uint8Array(1) }));
    expect(fake.platform.requests).toHaveLength(1);
  });
});
