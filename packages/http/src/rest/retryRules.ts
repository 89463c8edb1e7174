import { isPlainObject } from '@bot/core';
import { ApiError } from '../errors/ApiError.js';
import { DUPLICATE_MSG_SEQ_CODE, DuplicateSendError } from '../errors/DuplicateSendError.js';
import { NetworkError } from '../errors/NetworkError.js';
import type { RateLimitBound } from '../errors/RateLimitedError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import type { HttpMethod, RequestOptions } from './RequestOptions.js';

// Which failed attempts `RestClient.request` tries again: pure decisions, with no clock or I/O of
// their own, so each rule is tested by itself.

/** Methods whose repetition has the same effect as one call: safe to re-send whatever happened. */
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'PATCH', 'DELETE']);
/**
 * Body fields by which the platform recognises a repeated message send: a reply re-sent with the
 * same `msg_id`/`event_id` and `msg_seq` is refused as a duplicate instead of posted twice.
 */
const DEDUPE_FIELDS = ['msg_seq', 'msg_id', 'event_id'] as const;
/** Failures that happen before a request leaves the machine: re-sending cannot duplicate it. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Whether a network failure happened before the request left the machine (connection refused,
 * DNS), so that re-sending it cannot duplicate anything.
 *
 * @param reason - the failure's code, as `describeNetworkError` names it
 */
export function wasNeverSent(reason: string): boolean {
  return NEVER_SENT.has(reason);
}

/**
 * Whether a request may be sent again after a failure that may have reached the platform: its
 * method is idempotent, its body carries a field the platform deduplicates sends by, or the caller
 * allowed it (`retryOnTimeout`) and the failure was a gateway timeout.
 *
 * @param options - the request
 * @param gatewayTimeout - whether the failure was an HTTP 504
 */
export function mayResend(options: RequestOptions, gatewayTimeout: boolean): boolean {
  return (
    IDEMPOTENT.has(options.method) ||
    carriesDedupeKey(options.body) ||
    (gatewayTimeout && options.retryOnTimeout === true)
  );
}

/**
 * Whether a JSON body carries a non-empty `msg_seq`, `msg_id` or `event_id`, by which the platform
 * refuses a repeated send.
 *
 * @param body - the request's JSON body
 */
export function carriesDedupeKey(body: unknown): boolean {
  if (!isPlainObject(body)) return false;
  return DEDUPE_FIELDS.some((field) => {
    const value = body[field];
    return value !== undefined && value !== null && value !== '';
  });
}

/**
 * Token failures worth another try: the endpoint was unreachable, slow, or answered 5xx/429.
 * Refused credentials are final.
 *
 * @param error - what fetching the access token failed with
 */
export function isTokenOutage(error: unknown): boolean {
  return (
    error instanceof NetworkError ||
    error instanceof TimeoutError ||
    (error instanceof ApiError && (error.status >= 500 || error.status === 429))
  );
}

/** What a rate-limited attempt is up against, for {@link rateLimitGiveUp}. */
export interface RateLimitBudget {
  /** Milliseconds the platform (or the back-off) asked to wait. */
  asked: number;
  /** The client's `maxRateLimitWait`. */
  maxWait: number;
  /** Now, in epoch milliseconds. */
  now: number;
  /** The call's deadline, in epoch milliseconds. */
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
 * the message again under a new number. Any other refusal is the platform's {@link ApiError}.
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
    : refusal;
}
