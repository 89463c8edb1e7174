import { mkdtemp, open, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAbortSignal, Readable } from 'node:stream';
import {
  type BotLogger,
  isBotError,
  ValidationError,
  type MediaFileType,
  messageOf,
  platformText,
} from '@bot/core';
import { removeSpool, type MediaContent } from './MediaContent.js';
import { MEDIA_SIZE_CAPS } from './mediaLimits.js';
import { MediaTooLargeError } from './MediaTooLargeError.js';
import { MediaUploadError } from './MediaUploadError.js';

/** How {@link openContent} reads a source. */
export interface OpenContentOptions {
  /** The media type, whose size cap is checked before anything is sent. */
  fileType: MediaFileType;
  /** A stream up to this size stays in memory; a longer one is spooled to a temporary file. */
  spoolFrom: number;
  /** Where the spool's private directory is made; `os.tmpdir()` when absent. */
  spoolDir?: string | undefined;
  /** Ends the reading (a stream is destroyed, a spool removed). */
  signal?: AbortSignal | undefined;
  /** Where a spool that could not be removed is reported. */
  log: BotLogger;
}

/**
 * Makes a path, bytes or a stream into re-readable content, refusing what is over the type's
 * cap ({@link MediaTooLargeError}) or empty before any request is made.
 *
 * @param source - a file path, bytes, or a Node stream
 * @param options - media type, spool threshold, signal
 */
export async function openContent(
  source: string | Uint8Array | Readable,
  options: OpenContentOptions,
): Promise<MediaContent> {
  const cap = MEDIA_SIZE_CAPS[options.fileType];
  let content: MediaContent;
  if (typeof source === 'string') content = await openFile(source);
  else if (source instanceof Uint8Array) {
    const bytes = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    content = { kind: 'bytes', bytes, size: bytes.length };
  } else if (source instanceof Readable) content = await spool(source, cap, options);
  else
    throw new ValidationError(
      'source',
      'must be a file path, a Buffer or Uint8Array, a Readable stream or a URL',
    );
  if (content.size > cap) throw new MediaTooLargeError(options.fileType, content.size, cap);
  if (content.size === 0) {
    if (content.kind === 'file') await content.dispose();
    throw new MediaUploadError({ stage: 'source', problem: 'the content is empty (0 bytes)' });
  }
  return content;
}

async function openFile(path: string): Promise<MediaContent> {
  if (path.trim() === '') throw new ValidationError('source', 'must not be an empty path');
  // Read as a path it would fail as a missing file, hiding that the platform can fetch a link.
  // A link pasted with leading whitespace is one all the same (`new URL` drops the whitespace).
  const link = path.trim();
  if (/^https?:\/\//i.test(link)) {
    // Quoted as JSON: escaped, so a line break in it cannot forge a log line.
    const quoted = JSON.stringify(link.slice(0, 200)) + (link.length > 200 ? '…' : '');
    throw new ValidationError(
      'source',
      `is a link written as a string, which is read as a file path: pass new URL(${quoted}) for the platform to fetch it`,
    );
  }
  const stats = await stat(path).catch((error: unknown) => {
    throw new MediaUploadError({
      stage: 'source',
      problem: `cannot read ${shownPath(path)}: ${fileFailure(error, path)}`,
      cause: error,
    });
  });
  if (!stats.isFile())
    throw new MediaUploadError({ stage: 'source', problem: `${shownPath(path)} is not a regular file` });
  return { kind: 'file', path, size: stats.size, dispose: () => Promise.resolve() };
}

/**
 * A file path the caller gave, for an error message: control and line-breaking characters
 * written as escapes, so a path from a chat message or a database cannot forge a
 * log line, and cut after 200 characters.
 */
function shownPath(path: string): string {
  return platformText(path, 200);
}

/** Why a file could not be read, without the path Node writes raw into the error's message. */
function fileFailure(error: unknown, path: string): string {
  return platformText(messageOf(error).replaceAll(` '${path}'`, ''));
}

/**
 * Reads a stream once: into memory while it is short, then into a temporary file, so a large
 * stream never sits in memory whole. Stops at the cap without reading the rest.
 */
async function spool(stream: Readable, cap: number, options: OpenContentOptions): Promise<MediaContent> {
  if (options.signal !== undefined) addAbortSignal(options.signal, stream);
  const chunks: Buffer[] = [];
  let size = 0;
  let directory: string | undefined;
  let file: FileHandle | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > cap) throw new MediaTooLargeError(options.fileType, size, cap);
      if (file !== undefined) {
        await file.write(bytes);
        continue;
      }
      chunks.push(bytes);
      if (size >= options.spoolFrom) {
        directory = await mkdtemp(join(options.spoolDir ?? tmpdir(), 'bot-media-'));
        file = await open(join(directory, 'spool'), 'w');
        for (const held of chunks.splice(0)) await file.write(held);
      }
    }
    if (file === undefined || directory === undefined) {
      const bytes = Buffer.concat(chunks);
      return { kind: 'bytes', bytes, size: bytes.length };
    }
    await file.close();
    file = undefined;
    const spooled = directory;
    return {
      kind: 'file',
      path: join(spooled, 'spool'),
      size,
      dispose: () => removeSpool(spooled, options.log),
    };
  } catch (error) {
    stream.destroy();
    await file?.close().catch(() => undefined);
    if (directory !== undefined) await removeSpool(directory, options.log);
    if (options.signal?.aborted) throw options.signal.reason;
    if (isBotError(error)) throw error;
    throw new MediaUploadError({
      stage: 'source',
      problem: `the stream failed: ${messageOf(error)}`,
      cause: error,
    });
  }
}
