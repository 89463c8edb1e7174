import { AbortedAfterSendError } from '../errors/AbortedAfterSendError.js';
import { ClientDestroyedError } from '../errors/ClientDestroyedError.js';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { afterSend, MediaUploadError } from './MediaUploadError.js';

// What an upload stopped by its signal (the caller's, its deadline, the REST client's shutdown)
// rejects with, saying, as a send cut off does, whether the request it stopped in may have
// reached the platform.

/** A request of the upload that may have reached the platform before the stop. */
export interface LandedRequest {
  /** HTTP method of the request. */
  readonly method: HttpMethod;
  /** Route template of the request. */
  readonly route: string;
}

/**
 * Whether a request the upload's signal cut off may have reached the platform: the REST client
 * says so of a POST whose body went out, or an earlier attempt of which may have landed.
 *
 * @param error - what the request failed with as the signal stopped it
 */
export function sentBeforeStop(error: unknown): boolean {
  return (
    error instanceof AbortedAfterSendError || (error instanceof ClientDestroyedError && error.mayHaveBeenSent)
  );
}

/**
 * A failure of the upload's earlier attempt at a step that may have reached the platform (a 5xx,
 * a timeout after sending), as a {@link LandedRequest}; `undefined` for any other.
 *
 * @param failure - what the earlier attempt failed with
 */
export function landedBy(failure: unknown): LandedRequest | undefined {
  const said = failure as Partial<LandedRequest & { mayHaveBeenSent: unknown }> | null | undefined;
  if (said?.mayHaveBeenSent !== true || said.method === undefined || said.route === undefined)
    return undefined;
  return { method: said.method, route: said.route };
}

/**
 * What an upload step its signal stopped rejects with. Nothing of it went out: the signal's
 * reason (the caller's own, or a `MediaUploadError` of stage `deadline` or `shutdown`). A request
 * of it may have reached the platform (`cutOff` says so, or an earlier attempt `landed`): the
 * deadline's or shutdown's error with `mayHaveBeenSent`, or for the caller's signal an
 * `AbortedAfterSendError` with its reason as `cause`.
 *
 * @param signal - the upload's signal, aborted
 * @param cutOff - what the step's request failed with as the signal stopped it, if it was on one
 * @param landed - an earlier attempt of the step that may have reached the platform
 */
export function stoppedUpload(signal: AbortSignal, cutOff: unknown, landed?: LandedRequest): unknown {
  const reason: unknown = signal.reason;
  const cutAfterSend = sentBeforeStop(cutOff);
  if (reason instanceof MediaUploadError) {
    if (cutAfterSend) return afterSend(reason);
    return landed === undefined ? reason : afterSend(reason, landed);
  }
  if (cutAfterSend) return cutOff;
  return landed === undefined ? reason : new AbortedAfterSendError(landed.method, landed.route, reason);
}
