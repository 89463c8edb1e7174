import { type AbortFanout, msUntil, raceAbort, sleep, steadyNow, type OptionalSignal } from '@bot/core';
import type { AccessTokenProvider } from '../auth/AccessTokenProvider.js';
import { ClientDestroyedError } from '../errors/ClientDestroyedError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import type { HttpMethod } from './RequestOptions.js';

// The waits of one `RestClient.request` call outside the wire — for the access token, before a
// retry — and how each ends: at the call's deadline, on the caller's signal, or when the client
// is destroyed, each with its own error. The client's end is heard through one listener for all
// of them (`AbortFanout`).

/**
 * The error of a request cut short because its client was destroyed.
 *
 * @param method - HTTP method of the request
 * @param route - route template of the request
 */
export function destroyedError(method: HttpMethod, route: string): ClientDestroyedError {
  return new ClientDestroyedError(method, route);
}

/**
 * Waits for the token being fetched (one fetch is shared by every caller) at most until the
 * call's deadline. Giving up does not cancel the fetch: it goes on, under its own timeout, for
 * the other callers waiting on it.
 *
 * @param tokens - the client's token provider
 * @param closing - the client's end, aborted when it is destroyed
 * @param method - HTTP method of the request
 * @param route - route template of the request
 * @param signal - the caller's signal
 * @param timeout - the call's timeout, for its {@link TimeoutError}
 * @param deadline - the call's deadline, on the steady clock (`steadyNow`)
 * @throws {@link TimeoutError} at the deadline, the signal's reason when it aborts, a
 *   {@link ClientDestroyedError} naming this request when the client is destroyed or the
 *   provider is closed, or the fetch's failure
 */
export async function waitForToken(
  tokens: AccessTokenProvider,
  closing: AbortFanout,
  method: HttpMethod,
  route: string,
  signal: OptionalSignal,
  timeout: number,
  deadline: number,
): Promise<string> {
  try {
    return await closing.within((closed) =>
      raceAbort(tokens.get(), [signal, closed], {
        ms: msUntil(deadline),
        error: () => new TimeoutError(method, route, timeout),
      }),
    );
  } catch (error) {
    if (closing.signal.aborted && !signal?.aborted) throw destroyedError(method, route);
    // A closed provider's error names its own token fetch; the caller asked about this request.
    if (error instanceof ClientDestroyedError && error.destroyed === 'tokenProvider') {
      throw new ClientDestroyedError(method, route, 'tokenProvider', { cause: error });
    }
    throw error;
  }
}

/**
 * Sleeps `ms` before a retry, or, when that sleep would outlast the call's deadline, ends the call
 * at once with `failure`, the reason for the retry.
 *
 * @param ms - the back-off delay
 * @param failure - what the retry is for
 * @param deadline - the call's deadline, on the steady clock (`steadyNow`)
 * @param closing - the client's end, aborted when it is destroyed
 * @param method - HTTP method of the request
 * @param route - route template of the request
 * @param signal - the caller's signal
 * @throws `failure` when the deadline comes first, the signal's reason when it aborts, or a
 *   {@link ClientDestroyedError} when the client is destroyed
 */
export async function backOff(
  ms: number,
  failure: Error,
  deadline: number,
  closing: AbortFanout,
  method: HttpMethod,
  route: string,
  signal: OptionalSignal,
): Promise<void> {
  if (steadyNow() + ms >= deadline) throw failure;
  try {
    await closing.within((closed) => sleep(ms, signal, closed));
  } catch (error) {
    if (closing.signal.aborted && !signal?.aborted) throw destroyedError(method, route);
    throw error;
  }
}
