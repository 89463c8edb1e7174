import type { Readable } from 'node:stream';
import type { BackoffOptions, MediaFileType, MediaUploadResult } from '@bot/core';

/**
 * What to upload:
 * - a `string`: the path of a local file (read in parts, never whole);
 * - a `Buffer` or `Uint8Array`: bytes in memory, read where they are, not copied: they must not
 *   change until the upload settles (the digests sent first would no longer match the parts);
 * - a `Readable`: a Node stream, read once (past the chunked threshold it is spooled to a
 *   temporary file, which is removed afterwards);
 * - a `URL`: an `http:` or `https:` link the platform fetches itself (one `files` call; no size
 *   check is possible); any other scheme is refused with a `ValidationError`.
 */
export type MediaSource = string | Uint8Array | Readable | URL;

/** Where uploaded media can be sent: a QQ group or a C2C user (a `file_info` works only there). */
export type MediaTarget =
  { readonly scene: 'group'; readonly id: string } | { readonly scene: 'c2c'; readonly id: string };

/** Where an upload is: reading the source, sending it, done. */
export type UploadPhase = 'reading' | 'uploading' | 'done';

/** One progress report of {@link UploadMediaOptions.onProgress}. */
export interface UploadProgress {
  /** Where the upload is. */
  phase: UploadPhase;
  /** Bytes of the parts stored so far: grows part by part, never goes back. */
  bytesDone: number;
  /**
   * Bytes on the wire so far: `bytesDone` plus what the parts in flight have sent. Smoother than
   * `bytesDone` for a progress bar, it goes back when a part is sent again after a failure.
   */
  bytesSent: number;
  /** The file's size. */
  bytesTotal: number;
  /** Parts stored so far. */
  partsDone: number;
  /** Parts in all: 1 for a one-call upload, 0 while the source is still being read. */
  partsTotal: number;
  /** The platform's index of the part just stored, when this report is about one. */
  partIndex?: number;
}

/** Options of an upload. */
export interface UploadMediaOptions {
  /** Kind of media: image (png/jpg), video (mp4), voice (silk), file. */
  fileType: MediaFileType;
  /** Name sent with the upload; the path's base name, or `file`, when omitted. */
  fileName?: string | undefined;
  /**
   * Called with the bytes stored so far: once at the start, once per stored part, once at the
   * end, and while parts are on the wire (every 0.5% of the file, at least 256 KiB apart). Draw a
   * smooth progress bar from `bytesSent / bytesTotal` (it steps back when a part is re-sent), or
   * one that never goes back from `bytesDone / bytesTotal`. A callback that throws does not stop
   * the upload; its first throw is logged through the REST client's logger.
   */
  onProgress?: ((progress: UploadProgress) => void) | undefined;
  /** Stops the upload wherever it is, in-flight parts included; the call rejects with its reason. */
  signal?: AbortSignal | undefined;
  /**
   * The most the whole upload may take, in ms, from reading the source to the `file_info`: past
   * it everything in flight stops and the call rejects with a `MediaUploadError` of stage
   * `deadline`. Retries, back-offs and "not ready" waits all count against it.
   * @defaultValue 1_800_000 (30 minutes)
   */
  deadline?: number | undefined;
  /**
   * Directory for the temporary file a large stream is spooled to (a private directory is made
   * in it and removed when the upload settles).
   * @defaultValue `os.tmpdir()`
   */
  spoolDir?: string | undefined;
  /** Timeout of each platform call (prepare, part finish, complete), in ms; the client's by default. */
  timeout?: number | undefined;
  /**
   * Timeout of each part PUT, in ms.
   * @defaultValue 300_000
   */
  partTimeout?: number | undefined;
  /**
   * Extra attempts per part after a failed PUT or part finish (network errors, 5xx, 429).
   * @defaultValue 3
   */
  partRetries?: number | undefined;
  /**
   * Delay before each extra attempt of a part (exponential, with jitter).
   * @defaultValue `{ base: 500, max: 8000 }`
   */
  retryBackoff?: BackoffOptions | undefined;
  /**
   * Parts uploaded at once, at most: the platform's figure is used when lower (1 when it names
   * none), and never more than 10.
   * @defaultValue 10
   */
  concurrency?: number | undefined;
  /**
   * Files from this size on (bytes) use the chunked flow; smaller ones one `files` call, which
   * carries at most 20 MiB: a higher threshold is refused.
   * @defaultValue 5 MiB
   */
  chunkedThreshold?: number | undefined;
  /**
   * Reuse a `file_info` uploaded earlier for the same bytes, type and chat while it is valid.
   * `false` uploads again, and the fresh `file_info` replaces the one kept.
   * @defaultValue true
   */
  reuse?: boolean | undefined;
}

/** The result of an upload: the platform's answer and how it was obtained. */
export interface UploadedMedia extends MediaUploadResult {
  /** `true` when the `file_info` came from the cache, without a request. */
  reused: boolean;
  /** `plain` (one `files` call), `chunked` (the part flow) or `url` (fetched by the platform). */
  method: 'plain' | 'chunked' | 'url';
}
