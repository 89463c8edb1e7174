import { BotError } from '@bot/core';
import type { LandedRequest } from './stoppedUpload.js';

/**
 * Where a media upload failed:
 * - `source`: the file or stream could not be read, was empty, or changed size while it was uploaded;
 * - `prepare`: the platform refused `upload_prepare` or answered it with something unusable;
 * - `part`: a part could not be stored (its PUT or its `upload_part_finish`) within its retries;
 * - `complete`: the platform refused to assemble the parts, or failed to answer within the retries;
 * - `completionLost`: a completion whose answer was lost (a 5xx or timeout) may have succeeded,
 *   since a retry found the `upload_id` no longer open: its `file_info` cannot be recovered;
 * - `plain`: the one-call `files` upload was refused;
 * - `deadline`: the whole upload took longer than its `deadline` option;
 * - `shutdown`: the REST client was destroyed while the upload ran.
 */
export type MediaUploadStage =
  'source' | 'prepare' | 'part' | 'complete' | 'completionLost' | 'plain' | 'deadline' | 'shutdown';

/** What the caller can do after a failure at each stage. */
const REMEDIES: Readonly<Record<MediaUploadStage, string>> = {
  source: 'check that the path names a readable, non-empty file, or that the stream ends without error',
  prepare:
    'check the file type and size; if the platform answered with a code, see docs/protocol.md §8.8, ' +
    'then start the upload again',
  part:
    'check the connection to the storage host and start the upload again (an upload cannot be resumed: ' +
    'a new one gets fresh part URLs)',
  complete: 'start the upload again: the platform keeps no partial uploads to finish later',
  completionLost:
    'upload the file again to get a file_info (the first completion probably went through, but its ' +
    'answer never arrived and the platform does not hand it out twice)',
  deadline:
    'raise the deadline option for large files on slow links, or check the connection to the storage host',
  shutdown: 'upload again with a client that is not shut down; nothing of this upload can be resumed',
  plain: 'check the file type and format (png/jpg, mp4, silk) and start the upload again',
};

/** Details of a {@link MediaUploadError}. */
export interface MediaUploadErrorDetails {
  /** Where it failed. */
  stage: MediaUploadStage;
  /** What happened, as a phrase. */
  problem: string;
  /** The part (its platform index), for stage `part`. */
  partIndex?: number;
  /** How many times the failing step was tried. */
  attempts?: number;
  /** The platform's business code, when it answered with one. */
  code?: number;
  /** The underlying error (an `ApiError`, a `NetworkError`, a file system error). */
  cause?: unknown;
  /**
   * Whether the request the upload stopped in may have reached the platform; by default `true` for
   * stage `completionLost` and when `cause` says so (its own `mayHaveBeenSent`), `false` otherwise.
   */
  mayHaveBeenSent?: boolean;
}

/** Code of `upload_prepare` when the bot's daily upload quota is used up (docs/protocol.md §8.8). */
export const UPLOAD_QUOTA_EXCEEDED_CODE = 40093002;

/** Each error's details, to make the copy {@link afterSend} returns. */
const DETAILS = new WeakMap<MediaUploadError, MediaUploadErrorDetails>();

/**
 * A large or small media upload failed. `stage` says where, the message says what to do. An
 * upload stopped by the caller's `signal` rejects with the signal's reason instead (an
 * `AbortedAfterSendError` when a request of it may have reached the platform).
 */
export class MediaUploadError extends BotError {
  public readonly kind = 'mediaUpload' as const;
  /** Where it failed. */
  public readonly stage: MediaUploadStage;
  /** The part that failed, for stage `part`. */
  public readonly partIndex: number | undefined;
  /** How many times the failing step was tried. */
  public readonly attempts: number | undefined;
  /** The platform's business code, when it answered with one. */
  public readonly code: number | undefined;
  /**
   * Whether a request of the failing step may have reached the platform, as a send's
   * `mayHaveBeenSent` says: `true` for an upload its `deadline` or the REST client's shutdown cut
   * off once a request of it (`files`, `upload_prepare`, `upload_part_finish`) had gone out, or
   * while it waited to ask again after an attempt that failed unanswered (a 5xx, a timeout after
   * sending); for a step whose last attempt or an earlier one failed so (see `cause` and the
   * message); for a `files` call answered with no usable `file_info`; and for stage
   * `completionLost`. Only a `files` call that went through holds the file, whose `file_info` is
   * then lost: upload again to get one. `false` when no request of the step can have been acted
   * on: it stopped before any went out (reading the source, storing parts, waiting out a 429 with
   * no earlier attempt unanswered) or the platform refused it.
   */
  public readonly mayHaveBeenSent: boolean;

  /** @param details - stage, problem and cause */
  public constructor(details: MediaUploadErrorDetails) {
    const where = details.partIndex === undefined ? details.stage : `part ${details.partIndex}`;
    const tries = details.attempts === undefined ? '' : ` after ${details.attempts} attempt(s)`;
    const mayHaveBeenSent =
      details.mayHaveBeenSent ?? (details.stage === 'completionLost' || causeMayHaveBeenSent(details.cause));
    const remedy =
      details.code === UPLOAD_QUOTA_EXCEEDED_CODE
        ? 'the daily upload quota is used up: try again tomorrow, or send a link instead'
        : REMEDIES[details.stage];
    // A cut-off stage's cause does not say what was in flight; a failure's cause does.
    const delivery =
      mayHaveBeenSent && (details.stage === 'deadline' || details.stage === 'shutdown')
        ? deliveryOf(EARLIER.get(details))
        : '';
    super(`media upload failed at ${where}${tries}: ${details.problem}${delivery}; ${remedy}`, {
      cause: details.cause,
    });
    DETAILS.set(this, details);
    this.stage = details.stage;
    this.partIndex = details.partIndex;
    this.attempts = details.attempts;
    this.code = details.code;
    this.mayHaveBeenSent = mayHaveBeenSent;
  }
}

/** The earlier attempt each copy {@link afterSend} makes was stopped after, for its message. */
const EARLIER = new WeakMap<MediaUploadErrorDetails, LandedRequest>();

/** What a cut-off stage's message says of the request that may have landed. */
function deliveryOf(earlier: LandedRequest | undefined): string {
  return earlier === undefined
    ? '; the request it was cut off in had gone out and may have reached the platform'
    : `; an earlier attempt (${earlier.method} ${earlier.route}) failed without an answer and may ` +
        'have reached the platform';
}

/**
 * Whether an error a stage wraps says its request may have reached the platform.
 *
 * @param cause - what the step failed with
 */
export function causeMayHaveBeenSent(cause: unknown): boolean {
  return (cause as { mayHaveBeenSent?: unknown } | null | undefined)?.mayHaveBeenSent === true;
}

/**
 * A copy of `error` (an upload's deadline or shutdown) that says a request of the step it
 * stopped may have reached the platform; `error` itself when it says so already. The original,
 * the reason of the upload's signal, is shared by every step it stopped and is left as it is.
 *
 * @param error - the reason the upload was stopped with
 * @param earlier - the earlier attempt that may have landed, when the stop came while the step
 *   waited to ask again; without it, the message says the request it cut off had gone out
 */
export function afterSend(error: MediaUploadError, earlier?: LandedRequest): MediaUploadError {
  const details = DETAILS.get(error);
  if (details === undefined || error.mayHaveBeenSent) return error;
  const copy: MediaUploadErrorDetails = { ...details, mayHaveBeenSent: true };
  if (earlier !== undefined) EARLIER.set(copy, earlier);
  return new MediaUploadError(copy);
}

declare module '@bot/core' {
  interface BotErrorKinds {
    mediaUpload: MediaUploadError;
  }
}
