import { createHash } from 'node:crypto';
import type { MediaContent } from './MediaContent.js';
import { readRange } from './MediaContent.js';
import { MD5_10M_BYTES } from './mediaLimits.js';

/** The digests `upload_prepare` asks for, hex-encoded (docs/protocol.md §8.8). */
export interface ContentHashes {
  /** MD5 of the whole content. */
  md5: string;
  /** SHA-1 of the whole content; also the cache key of the content. */
  sha1: string;
  /** MD5 of the first 10,002,432 bytes (of the whole content when shorter). */
  md5_10m: string;
}

/**
 * Digests the content in one pass, reading a file as a stream.
 *
 * @param content - the bytes or file
 * @param signal - stops reading a file
 */
export async function hashContent(content: MediaContent, signal?: AbortSignal): Promise<ContentHashes> {
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const head = createHash('md5');
  let seen = 0;
  const add = (bytes: Buffer): void => {
    md5.update(bytes);
    sha1.update(bytes);
    if (seen < MD5_10M_BYTES) head.update(bytes.subarray(0, MD5_10M_BYTES - seen));
    seen += bytes.length;
  };
  // A file cut short after it was opened makes the stream fail (see `readRange`).
  const whole = readRange(content, 0, content.size, signal);
  if (Buffer.isBuffer(whole)) add(whole);
  else for await (const chunk of whole as AsyncIterable<Buffer>) add(chunk);
  return { md5: md5.digest('hex'), sha1: sha1.digest('hex'), md5_10m: head.digest('hex') };
}
