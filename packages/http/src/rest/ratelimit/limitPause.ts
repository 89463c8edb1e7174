import type { Outcome } from '../response.js';
import type { RateLimitManager } from './RateLimitManager.js';

/** How long a rate limit asked to wait, and the pause kept for it (at most the cap). */
export interface LimitPause {
  /** Milliseconds the platform asked for (or the back-off chose). */
  asked: number;
  /** Milliseconds the route (or every route) pauses. */
  wait: number;
}

/**
 * Pauses the route a rate limit was met on, or every route for a global one, for `asked`
 * milliseconds but at most `maxWait`: however long the platform asks for, a pause never outlasts
 * the cap.
 *
 * @param limits - the client's rate limiter
 * @param limited - the rate-limited answer
 * @param key - the route key it was met on
 * @param asked - how long to wait: the answer's `Retry-After`, or a back-off
 * @param maxWait - the longest pause
 */
export function pauseForLimit(
  limits: RateLimitManager,
  limited: Extract<Outcome, { type: 'rateLimited' }>,
  key: string,
  asked: number,
  maxWait: number,
): LimitPause {
  const wait = Math.min(asked, maxWait);
  if (limited.global) limits.pauseGlobal(wait, limited.error.code);
  else limits.pauseRoute(key, wait, limited.error.code);
  return { asked, wait };
}
