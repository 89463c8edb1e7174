import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { messageOf, type BotLogger } from '@bot/core';
import { MediaUploadError } from './MediaUploadError.js';

/**
 * The bytes of an upload, readable as many times as needed (hashing, then each part, then a
 * part again on retry), without holding a large file in memory.
 */
export type MediaContent =
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly size: number }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly size: number;
      /** Removes the file when it is a spool of a stream; nothing otherwise. */
      readonly dispose: () => Promise<void>;
    };

/**
 * A range of the content: a view of the bytes, or a stream of the file's range. A file stream that
 * ends short of the range fails with {@link fileChangedError}: the file was cut short after it was
 * opened, and its size (told to the platform, sent as `Content-Length`) no longer holds.
 *
 * @param content - the bytes or file
 * @param offset - first byte
 * @param length - bytes in the range
 * @param signal - ends a file stream
 */
export function readRange(
  content: MediaContent,
  offset: number,
  length: number,
  signal?: AbortSignal,
): Buffer | Readable {
  if (content.kind === 'bytes') return content.bytes.subarray(offset, offset + length);
  const file = createReadStream(content.path, {
    start: offset,
    end: offset + length - 1,
    highWaterMark: 256 * 1024,
    ...(signal === undefined ? {} : { signal }),
  });
  async function* whole(): AsyncGenerator<Buffer> {
    let read = 0;
    for await (const chunk of file as AsyncIterable<Buffer>) {
      read += chunk.length;
      yield chunk;
    }
    if (read < length) throw fileChangedError(content, offset + read);
  }
  return Readable.from(whole(), { objectMode: false });
}

/**
 * The file behind `content` no longer holds as many bytes as when the upload opened it (it was
 * still being written, or was cut short): what was read of it is not the whole file.
 *
 * @param content - the file, with its size when it was opened
 * @param found - its size as found later (where its bytes ended when read, or its size now)
 */
export function fileChangedError(content: MediaContent, found: number): MediaUploadError {
  const name = content.kind === 'file' ? `${content.path} ` : 'the content ';
  return new MediaUploadError({
    stage: 'source',
    problem:
      `${name}changed size while it was uploaded (${content.size} bytes when opened, ${found} later); ` +
      'upload a file only once it is completely written',
  });
}

/**
 * Checks that a file still has the size it was opened with, once its bytes have been read: a
 * file that grew meanwhile was still being written, and only its beginning would be uploaded. A
 * file that can no longer be examined (removed once read) is not held against the upload.
 *
 * @param content - the bytes or file
 * @throws {@link MediaUploadError} of stage `source` ({@link fileChangedError}) when its size changed
 */
export async function checkUnchanged(content: MediaContent): Promise<void> {
  if (content.kind !== 'file') return;
  const now = await stat(content.path).then(
    (stats) => stats.size,
    () => content.size,
  );
  if (now !== content.size) throw fileChangedError(content, now);
}

/**
 * The whole content as one buffer: for the one-call upload, which sends it base64-encoded and
 * is only used below the chunked threshold.
 *
 * @param content - the bytes or file
 */
export async function readWhole(content: MediaContent): Promise<Buffer> {
  if (content.kind === 'bytes') return content.bytes;
  const handle = await open(content.path, 'r');
  try {
    const bytes = Buffer.alloc(content.size);
    let filled = 0;
    while (filled < content.size) {
      const { bytesRead } = await handle.read(bytes, filled, content.size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled < content.size) throw fileChangedError(content, filled);
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Removes a spooled file and its directory. A failure to remove is not the upload's failure, but
 * it leaves up to the type's size cap on disk: it is logged, naming the directory.
 *
 * @param directory - the temporary directory holding the spool
 * @param log - where a failed removal is reported (the REST client's logger)
 */
export async function removeSpool(directory: string, log: BotLogger): Promise<void> {
  try {
    await rm(directory, { recursive: true, force: true });
  } catch (error) {
    log.warn(
      `could not remove the upload spool ${directory}: ${messageOf(error)}; ` +
        'remove it by hand (spoolDir chooses where spools are made)',
    );
  }
}
