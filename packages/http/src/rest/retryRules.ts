import { isPlainObject } from '@bot/core';
import { afterEarlierAttempt, ApiError } from '../errors/ApiError.js';
import { DUPLICATE_MSG_SEQ_CODE, DuplicateSendError } from '../errors/DuplicateSendError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { MEDIA_FETCH_FAILURES } from '../errors/platformCodes.js';
import type { RateLimitBound } from '../errors/RateLimitedError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import type { HttpMethod, RequestOptions } from './RequestOptions.js';
import { Routes } from './routes.js';

// Which failed attempts `RestClient.request` tries again: pure decisions, with no clock or I/O of
// their own, so each rule is tested by itself.

/** Methods whose repetition has the same effect as one call: safe to re-send whatever happened. */
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'PATCH', 'DELETE']);
/**
 * The fields that, beside `msg_seq`, name what a group or C2C send replies to. The platform refuses
 * a repeated `msg_id`/`event_id` + `msg_seq` pair as a duplicate; guild channel and DM sends carry
 * no `msg_seq`, and nothing there stops a re-send from being posted a second time.
 */
const REPLY_ANCHORS = ['msg_id', 'event_id'] as const;
/**
 * Routes whose bodies carry `msg_id` + `msg_seq` without being deduplicated by them: every frame
 * of a C2C stream shares one `msg_seq` (docs/protocol.md §15.1), so a re-sent first frame is
 * refused as a duplicate and a re-sent later frame breaks the stream's numbering. They are re-sent
 * only when they certainly never left the machine.
 */
const NOT_DEDUPLICATED = new Set<string>([Routes.userStreamMessages]);
// Which failures never left the machine is also what the errors' advice is built on: one list.
export { wasNeverSent } from '../errors/delivery.js';

/**
 * Whether a request may be sent again after a failure that may have reached the platform: its
 * method is idempotent, its body carries the pair the platform deduplicates sends by (see
 * {@link carriesDedupeKey}) on a route the platform deduplicates by it (not C2C stream frames,
 * §15.1), or the caller allowed it (`retryOnTimeout`) and the failure was a
 * gateway timeout.
 *
 * @param options - the request
 * @param gatewayTimeout - whether the failure was an HTTP 504
 */
export function mayResend(options: RequestOptions, gatewayTimeout: boolean): boolean {
  return (
    IDEMPOTENT.has(options.method) ||
    (carriesDedupeKey(options.body) && !NOT_DEDUPLICATED.has(options.route)) ||
    (gatewayTimeout && options.retryOnTimeout === true)
  );
}

/**
 * Whether a JSON body carries a non-empty `msg_seq` together with a non-empty `msg_id` or
 * `event_id`: the pair by which the platform refuses a repeated group or C2C send. A `msg_id`
 * alone is not enough. Guild channel and DM sends are not deduplicated at all, and although a
 * group or C2C send without `msg_seq` counts as number 1 on the platform, a body that leaves it
 * out is not taken as deduplicated either: re-sending it is left to the caller.
 *
 * @param body - the request's JSON body
 */
export function carriesDedupeKey(body: unknown): boolean {
  if (!isPlainObject(body) || !isPresent(body['msg_seq'])) return false;
  return REPLY_ANCHORS.some((field) => isPresent(body[field]));
}

/** Whether a body field has a value: neither missing, `null` nor empty. */
function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Token failures worth another try: the endpoint was unreachable, slow, or answered 5xx, 429 or 408.
 * Refused credentials and a provider ended by its `signal` (a `ClientDestroyedError`) are final.
 *
 * @param error - what fetching the access token failed with
 */
export function isTokenOutage(error: unknown): boolean {
  return (
    error instanceof NetworkError ||
    error instanceof TimeoutError ||
    (error instanceof ApiError && (error.status >= 500 || error.status === 429 || error.status === 408))
  );
}

/**
 * How many times one call re-sends after the platform failed to fetch or convert its media
 * (codes `304082`/`304083`, whose documented advice is "retry"). The platform refused the send,
 * so nothing was posted and re-sending cannot duplicate it; a media host that is down for good
 * stays down, so the count is small. Each re-send also counts against the call's `retries`.
 */
export const MEDIA_FETCH_RETRIES = 2;

/**
 * Whether a refused attempt is sent again: the refusal is a media fetch or conversion failure
 * (docs/protocol.md §11), fewer than {@link MEDIA_FETCH_RETRIES} such re-sends were made, and
 * the call has retries left.
 *
 * @param refusal - the platform's 4xx (or 5xx) answer
 * @param mediaRetriesUsed - re-sends this call already made for a media failure
 * @param retriesLeft - whether the call's `retries` allow one more
 */
export function retriesRefusal(refusal: ApiError, mediaRetriesUsed: number, retriesLeft: boolean): boolean {
  return retriesLeft && mediaRetriesUsed < MEDIA_FETCH_RETRIES && MEDIA_FETCH_FAILURES.has(refusal.code);
}

/** What a rate-limited attempt is up against, for {@link rateLimitGiveUp}. */
export interface RateLimitBudget {
  /** Milliseconds the platform (or the back-off) asked to wait. */
  asked: number;
  /** The client's `maxRateLimitWait`. */
  maxWait: number;
  /** Now, on the steady clock (`steadyNow`). */
  now: number;
  /** The call's deadline, on the same clock. */
  deadline: number;
  /** Retries the call has used so far. */
  retriesUsed: number;
  /** Retries the call may use in all. */
  retries: number;
}

/**
 * Which bound makes a rate-limited request give up instead of waiting, checked in this order: a
 * wait past `maxRateLimitWait`, a wait that reaches the call's deadline, no retries left.
 *
 * @returns the bound exceeded, or `undefined` when the request waits and retries
 */
export function rateLimitGiveUp(budget: RateLimitBudget): RateLimitBound | undefined {
  if (budget.asked > budget.maxWait) return 'maxRateLimitWait';
  if (budget.now + budget.asked >= budget.deadline) return 'timeout';
  if (budget.retriesUsed >= budget.retries) return 'retries';
  return undefined;
}

/**
 * The error a refused attempt ends the call with. A refusal as a duplicate `msg_seq` (code
 * `40054005`) of a re-send after a failure that may have reached the platform means the earlier
 * attempt was most probably delivered: a {@link DuplicateSendError}, so the caller does not send
 * the message again under a new number. Any other refusal is the platform's {@link ApiError}; after
 * such a failure, with `mayHaveBeenSent` set.
 *
 * @param refusal - the platform's 4xx answer
 * @param attempt - the number of the refused send (the first is 1)
 * @param mayHaveLanded - the earlier failure that may have reached the platform, if there was one
 */
export function refusalError(
  refusal: ApiError,
  attempt: number,
  mayHaveLanded: Error | undefined,
): ApiError | DuplicateSendError {
  return mayHaveLanded !== undefined && refusal.code === DUPLICATE_MSG_SEQ_CODE
    ? new DuplicateSendError(refusal, attempt, mayHaveLanded)
    : mayHaveLanded === undefined
      ? refusal
      : afterEarlierAttempt(refusal);
}
