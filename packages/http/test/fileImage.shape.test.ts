import { describe, expect, it } from 'vitest';
import { MessageParams, ValidationError } from '@bot/http';
import { useFakeApi } from './support/fakeApi.js';

// MessageParams.fileImage takes { name, data, contentType? }. Bytes given alone (a Buffer, a
// Uint8Array, a Blob, an ArrayBuffer or any view of one) are refused with a message that shows that shape, not one about a missing
// name; nothing beyond the documented shape is accepted.

const untyped = <T>(value: unknown): T => value as T;

describe('MessageParams.fileImage given the wrong shape', () => {
  const fake = useFakeApi();
  const refusal = (file: unknown): Promise<unknown> =>
    fake.api.messages.send('c1', MessageParams.fileImage(untyped(file))).then(
      () => undefined,
      (reason: unknown) => reason,
    );

  it.each([
    ['a Buffer', Buffer.from('png')],
    ['a Uint8Array', new Uint8Array([1, 2, 3])],
    ['a Blob', new Blob(['png'])],
    ['an ArrayBuffer', new ArrayBuffer(3)],
    ['a DataView', new DataView(new ArrayBuffer(3))],
    ['a Uint16Array', new Uint16Array([1, 2])],
  ])('refuses %s alone, saying the shape it expects', async (_name, bytes) => {
    const error = await refusal(bytes);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'params.fileImage' });
    expect((error as Error).message).toBe(
      'params.fileImage must be an object { name, data, contentType? }, not the bytes alone: ' +
        "pass MessageParams.fileImage({ name: 'image.png', data })",
    );
    expect(fake.platform.requests).toHaveLength(0);
  });

  it('refuses a contentType that is not a string', async () => {
    const error = await refusal({ name: 'a.png', data: new Uint8Array([1]), contentType: 7 });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'params.fileImage.contentType' });
  });

  it('refuses an empty contentType', async () => {
    const error = await refusal({ name: 'a.png', data: new Uint8Array([1]), contentType: '' });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'params.fileImage.contentType' });
    expect(fake.platform.requests).toHaveLength(0);
  });
});
