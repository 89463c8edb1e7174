import type { HttpMethod } from './RequestOptions.js';

/**
 * How an attempt that got no usable answer ended: the connection failed (`network`: refused,
 * reset, DNS), the call's timeout ran out once it had a connection, opening or open (`timeout`),
 * the caller's signal or the client's `destroy()` cut it off there (`aborted`), or the answer was
 * over `maxResponseBytes` and was not read (`tooLarge`).
 */
export type RestAttemptFailure = 'network' | 'timeout' | 'aborted' | 'tooLarge';

/**
 * Payload of the `attempt` event: one attempt of a request that went to the wire, answered or
 * not. A call that retries emits one per attempt. An attempt that never left this client emits
 * none: one refused or timed out in its route's queue, or timed out or cut off while it waited
 * for a free connection under `maxSockets` (the call's `TimeoutError.spent` counts that wait as
 * `queueMs`, `queuedFor` `sockets`). It carries what metrics are labelled and measured by, never
 * the body, the headers or the token.
 *
 * Times are in milliseconds on the steady clock (fractional), split as a `TimeoutError`'s `spent`
 * splits a whole call: waiting in this client (`tokenMs`, `queueMs`) and not (`platformMs`).
 */
export interface RestAttemptEvent {
  /** HTTP method of the request. */
  method: HttpMethod;
  /**
   * Route of the request as the caller passed it: the template
   * (`/v2/groups/{group_openid}/messages`), a metrics label of bounded cardinality, when the
   * caller fills it through `params` (the framework's endpoints always do); a path filled by the
   * caller comes as it is.
   */
  route: string;
  /** HTTP status of the answer, a `tooLarge` one's too; `undefined` when there was none (see `failure`). */
  status: number | undefined;
  /** How the attempt ended without a usable answer; `undefined` when the answer was read. */
  failure: RestAttemptFailure | undefined;
  /**
   * Which attempt of the call this was, 1 for the first. It counts every attempt, the one after
   * a token refresh too (as `ApiError.attempts` does); the `rateLimited` event's `attempt` counts
   * retries, from 0.
   */
  attempt: number;
  /**
   * Whether the call tries again after this attempt (after a back-off, a rate-limit pause or a
   * token refresh). The retry may still not go out: the call's timeout or signal can end it first.
   */
  willRetry: boolean;
  /** Waiting for an access token since the previous attempt (0 when one was at hand). */
  tokenMs: number;
  /** Waiting in this client's route queue for this attempt's turn (0 when it went straight out). */
  queueMs: number;
  /**
   * On the wire: from the send until the answer was read or the attempt failed, a wait for a free
   * connection under `maxSockets` before it included.
   */
  platformMs: number;
  /**
   * The platform's trace id of the answer (its `X-Tps-trace-Id` header), when it sent one; a
   * `tooLarge` answer's too.
   */
  traceId: string | undefined;
}
