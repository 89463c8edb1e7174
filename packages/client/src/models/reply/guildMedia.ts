import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import {
  MAX_GUILD_FORM_BYTES,
  MediaFileType,
  MessageParams,
  ValidationError,
  type MediaSource,
} from '@bot/http';

/** What a guild media reply reads of its options: the file type, name, text and signal. */
export interface GuildMediaOptions {
  /** Must be {@link MediaFileType.Image}: guild channels and DMs take images only. */
  fileType: MediaFileType;
  /** File name of a local image; the path's base name, or `image`. */
  fileName?: string | undefined;
  /** Text shown with the image. */
  content?: string | undefined;
  /** Stops reading a local image, a stream that has stalled too. */
  signal?: AbortSignal | undefined;
}

/**
 * The message of a media reply in a guild channel or DM, which take an image only: by URL
 * (`image`, fetched by the platform) for a `URL`, else as a multipart `file_image` part read from
 * the path, bytes or stream (docs/protocol.md §8.10). A path or stream is read up to one byte
 * past the 10 MiB a guild message body may hold, so the send refuses it as too large (a
 * `FileImageTooLargeError`) without the rest of it being read or held in memory. An abort of
 * `options.signal` ends the read at once, of a stream that has stalled too, and destroys it.
 *
 * @param source - a file path, bytes, a readable stream, or an `http(s)` `URL`
 * @param options - `fileType` (an image), the file name, the text
 * @throws `ValidationError` (`options.fileType`) for anything but an image, (`source`) for a URL
 *   that is not `http(s)`; the file system's error for a path it cannot read; the signal's reason
 *   once it aborts the read
 */
export async function guildImageParams(
  source: MediaSource,
  options: GuildMediaOptions,
): Promise<MessageParams> {
  if (options.fileType !== MediaFileType.Image)
    throw new ValidationError(
      'options.fileType',
      `is ${String(options.fileType)}, but a guild channel or DM takes images only ` +
        `(MediaFileType.Image, ${MediaFileType.Image}); send video, voice and files in a group or C2C chat`,
    );
  let params: MessageParams;
  if (source instanceof URL) {
    if (source.protocol !== 'https:' && source.protocol !== 'http:')
      throw new ValidationError(
        'source',
        `is a ${source.protocol} URL: the platform fetches http(s) URLs only`,
      );
    params = MessageParams.image(source.href);
  } else {
    const name = options.fileName ?? (typeof source === 'string' ? basename(source) : 'image');
    params = MessageParams.fileImage({ name, data: await imageBytes(source, options.signal) });
  }
  return options.content === undefined ? params : params.withContent(options.content);
}

/**
 * The bytes of a local image: taken as they are, or read from a path or stream up to one byte
 * past the bound.
 */
async function imageBytes(source: string | Uint8Array | Readable, signal?: AbortSignal): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  // A path is read as a stream is: a whole file read first would be held before its refusal.
  // `end` is inclusive: the bound and one byte.
  const stream =
    typeof source === 'string' ? createReadStream(source, { end: MAX_GUILD_FORM_BYTES }) : source;
  return readCapped(stream, signal);
}

/** Collects `source` until its end or one byte past {@link MAX_GUILD_FORM_BYTES}. */
async function readCapped(source: Readable, signal?: AbortSignal): Promise<Buffer> {
  // A source that yields nothing more would keep the read (and the counted reply) waiting for good.
  const stop = (): void => void source.destroy(signal?.reason as Error);
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      // Past the bound the send refuses it anyway, with the size: no need to hold or read more.
      const kept = bytes.subarray(0, MAX_GUILD_FORM_BYTES + 1 - size);
      chunks.push(kept);
      size += kept.length;
      if (size > MAX_GUILD_FORM_BYTES) break;
    }
  } finally {
    // Leaving the loop, at its end or early, has destroyed the source.
    signal?.removeEventListener('abort', stop);
  }
  signal?.throwIfAborted();
  return Buffer.concat(chunks);
}
