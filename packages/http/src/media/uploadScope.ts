import { type FanoutWait, onFirstAbort } from '@bot/core';
import { MediaUploadError } from './MediaUploadError.js';

/** The signal one upload runs under, and the means to let go of what it listens to. */
export interface UploadScope {
  /** Aborted by the caller's signal, the REST client closing, or the deadline, with its reason. */
  readonly signal: AbortSignal;
  /** Clears the deadline timer and stops listening; call once the upload has settled. */
  end(): void;
}

/**
 * Joins what may stop an upload into one signal: the caller's `signal` (aborting with its
 * reason), the REST client being destroyed (a `MediaUploadError` of stage `shutdown`: a part PUT
 * goes to the storage host, outside the client, so it would otherwise outlive it), and the
 * upload's overall deadline (stage `deadline`).
 *
 * @param caller - the caller's signal, if any
 * @param join - joins the REST client's end (`RestClient.joinClosing`)
 * @param deadline - the most the upload may take, in ms
 */
export function uploadScope(
  caller: AbortSignal | undefined,
  join: () => FanoutWait,
  deadline: number,
): UploadScope {
  const joined = join();
  const closing = joined.signal;
  const stop = new AbortController();
  const shutdown = (): MediaUploadError =>
    new MediaUploadError({
      stage: 'shutdown',
      problem: 'the REST client was destroyed (the bot is shutting down) while the upload ran',
      cause: closing.reason,
    });
  if (caller?.aborted) stop.abort(caller.reason);
  else if (closing.aborted) stop.abort(shutdown());
  const unlinkCaller = onFirstAbort([caller], (reason) => stop.abort(reason));
  const unlinkClosing = onFirstAbort([closing], () => stop.abort(shutdown()));
  const timer = setTimeout(() => {
    stop.abort(
      new MediaUploadError({
        stage: 'deadline',
        problem: `the upload took longer than its deadline (${deadline} ms)`,
      }),
    );
  }, deadline);
  return {
    signal: stop.signal,
    end: () => {
      clearTimeout(timer);
      unlinkCaller();
      unlinkClosing();
      joined.leave();
    },
  };
}
