import { requireDeadlineOrInfinity, type MAX_TIMER_DELAY, type ValidationError } from '@bot/core';

/**
 * Default handler deadline: 60 s. Four times what one REST call may take in all (15 s by default,
 * retries and rate-limit waits included) and as long as a streamed reply may sit idle, so handlers
 * doing real work stay far below it; a handler that never settles then holds its shard for a minute,
 * not for good.
 */
export const DEFAULT_HANDLER_TIMEOUT_MS = 60_000;

/**
 * Checks a handler deadline: a positive number of milliseconds a timer can hold (at most
 * {@link MAX_TIMER_DELAY}), or `Infinity` for none (as `rateLimits.concurrency` says "no limit").
 *
 * @param ms - the deadline
 * @param field - the caller's name for it
 * @returns the deadline, unchanged
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function requireHandlerTimeout(ms: unknown, field: string): number {
  return requireDeadlineOrInfinity(ms, field);
}
