import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { messageOf, type BotLogger } from '@bot/core';

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
 * A range of the content: a view of the bytes, or a stream of the file's range.
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
  return createReadStream(content.path, {
    start: offset,
    end: offset + length - 1,
    highWaterMark: 256 * 1024,
    ...(signal === undefined ? {} : { signal }),
  });
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
    return bytes.subarray(0, filled);
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
