import { backoffDelay, sleep, type BackoffOptions, messageOf } from '@bot/core';
import { ApiError } from '../errors/ApiError.js';
import { causeMayHaveBeenSent, MediaUploadError } from './MediaUploadError.js';
import { landedBy, type LandedRequest, stoppedUpload } from './stoppedUpload.js';
import { isRetryable } from './uploadParts.js';

/** Attempts of the completing `files` call, the first included. Ours: the platform states none. */
export const COMPLETE_ATTEMPTS = 3;

/** How {@link completeChunkedUpload} asks. */
export interface CompleteOptions {
  /** `POST …/files` with the `upload_id`. */
  complete: () => Promise<unknown>;
  backoff: BackoffOptions;
  signal: AbortSignal;
}

/**
 * Completes a chunked upload whose parts are all stored, asking again with the same `upload_id`
 * after a failure that may not have reached the platform (5xx, timeout, network, a 429 given
 * up), at most {@link COMPLETE_ATTEMPTS} times, so a passing fault does not throw every stored part
 * away. The first failure that may have landed (a 5xx, a timeout after sending) is kept: when a
 * retry after it is refused, that completion most likely went through and closed the upload,
 * reported as stage `completionLost`, not as an ordinary refusal; and however the call ends
 * after it, the error says the upload may have been sent.
 *
 * @param options - the call, its back-off and the upload's signal
 * @returns the platform's answer
 * @throws {@link MediaUploadError} of stage `complete` or `completionLost`; when stopped, what
 *   {@link stoppedUpload} says (the signal's reason, unless a completion may have gone out)
 */
export async function completeChunkedUpload(options: CompleteOptions): Promise<unknown> {
  // The first completion that failed unanswered: it may have gone through, whatever comes after
  // (a 429 or a connection refused says nothing of it).
  let landed: { error: unknown; request: LandedRequest } | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.complete();
    } catch (error) {
      // Stopped after a completion went out (this one, or one whose answer was lost): it may have
      // gone through, and the error says so.
      if (options.signal.aborted) throw stoppedUpload(options.signal, error, landed?.request);
      const code = error instanceof ApiError ? { code: error.code } : {};
      const problem = messageOf(error);
      if (landed !== undefined && !isRetryable(error))
        throw new MediaUploadError({
          stage: 'completionLost',
          attempts: attempt,
          problem:
            `an earlier completion failed without an answer (${messageOf(landed.error)}), ` +
            `and asking again was refused (${problem})`,
          cause: error,
          ...code,
        });
      if (!isRetryable(error) || attempt >= COMPLETE_ATTEMPTS)
        throw new MediaUploadError({
          stage: 'complete',
          attempts: attempt,
          problem:
            landed === undefined
              ? problem
              : `${problem}; an earlier attempt failed without an answer (${messageOf(landed.error)}) ` +
                'and may have completed the upload',
          cause: error,
          mayHaveBeenSent: landed !== undefined || causeMayHaveBeenSent(error),
          ...code,
        });
      const request = landedBy(error);
      if (request !== undefined) landed ??= { error, request };
      try {
        await sleep(backoffDelay(attempt - 1, options.backoff), options.signal);
      } catch {
        throw stoppedUpload(options.signal, undefined, landed?.request);
      }
    }
  }
}
