import { backoffDelay, sleep, type BackoffOptions, messageOf } from '@bot/core';
import { ApiError } from '../errors/ApiError.js';
import { MediaUploadError } from './MediaUploadError.js';
import { landedBy, stoppedUpload } from './stoppedUpload.js';
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
 * after a failure that may not have reached the platform (5xx, timeout, network), at most
 * {@link COMPLETE_ATTEMPTS} times, so a passing fault does not throw every stored part away. When
 * a retry is refused after such a failure, the first call most likely went through and closed
 * the upload: that is reported as stage `completionLost`, not as an ordinary refusal.
 *
 * @param options - the call, its back-off and the upload's signal
 * @returns the platform's answer
 * @throws {@link MediaUploadError} of stage `complete` or `completionLost`; when stopped, what
 *   {@link stoppedUpload} says (the signal's reason, unless a completion may have gone out)
 */
export async function completeChunkedUpload(options: CompleteOptions): Promise<unknown> {
  let lost: unknown;
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.complete();
    } catch (error) {
      // Stopped after a completion went out (this one, or one whose answer was lost): it may have
      // gone through, and the error says so.
      if (options.signal.aborted) throw stoppedUpload(options.signal, error, landedBy(lost));
      const code = error instanceof ApiError ? { code: error.code } : {};
      const problem = messageOf(error);
      if (lost !== undefined && !isRetryable(error))
        throw new MediaUploadError({
          stage: 'completionLost',
          attempts: attempt,
          problem:
            `an earlier completion failed without an answer (${messageOf(lost)}), ` +
            `and asking again was refused (${problem})`,
          cause: error,
          ...code,
        });
      if (!isRetryable(error) || attempt >= COMPLETE_ATTEMPTS)
        throw new MediaUploadError({ stage: 'complete', attempts: attempt, problem, cause: error, ...code });
      lost = error;
      try {
        await sleep(backoffDelay(attempt - 1, options.backoff), options.signal);
      } catch {
        throw stoppedUpload(options.signal, undefined, landedBy(lost));
      }
    }
  }
}
