import { requireInteger, ValidationError, type SessionStartLimit } from '@bot/core';

/**
 * Decides when each shard may send Identify. Rules every implementation keeps:
 *
 * - Shards fall into buckets `shard_id % max_concurrency`; a bucket identifies at most once per
 *   window (5 s on the platform), buckets run side by side.
 * - Every granted identify uses one session start; when none remain, callers wait for the budget
 *   to reset instead of identifying anyway.
 * - An aborted wait rejects with the signal's reason and uses nothing.
 *
 * Resumes do not pass through the queue: they cost no session start. Implementations shared by
 * several processes (Redis, …) keep the same contract; run `runIdentifyQueueConformance` of
 * `@bot/gateway/testing` on them.
 */
export interface IdentifyQueue {
  /**
   * Waits for the shard's turn. Resolving means "identify now" and counts one session start.
   *
   * @param shardId - the shard about to identify
   * @param signal - abandons the wait
   */
  wait(shardId: number, signal?: AbortSignal): Promise<void>;
}

/** The limits an identify queue enforces. */
export interface IdentifyLimits {
  /** Buckets (identifies per window); `max_concurrency` from `/gateway/bot`. */
  maxConcurrency: number;
  /** Session starts per budget period; `session_start_limit.total`. */
  total: number;
  /** Session starts left now; `session_start_limit.remaining`. */
  remaining: number;
  /** Milliseconds until the budget resets to `total`; `session_start_limit.reset_after`. */
  resetAfterMs: number;
  /** Identify window per bucket in milliseconds (5 s by default, as the platform documents). */
  windowMs?: number;
  /** Length of each budget period after the first reset in milliseconds (24 h by default). */
  periodMs?: number;
}

/** Default identify window: the platform documents one identify per bucket per 5 s. */
export const DEFAULT_IDENTIFY_WINDOW_MS = 5_000;

/** Default budget period: session starts are counted per day. */
export const DEFAULT_BUDGET_PERIOD_MS = 24 * 60 * 60 * 1_000;

/**
 * Converts the `session_start_limit` of `/gateway/bot` into {@link IdentifyLimits}.
 *
 * @param limit - the platform's numbers
 * @param windowMs - identify window per bucket (5 s by default)
 */
export function identifyLimitsFrom(
  limit: SessionStartLimit,
  windowMs = DEFAULT_IDENTIFY_WINDOW_MS,
): IdentifyLimits {
  return {
    maxConcurrency: limit.max_concurrency,
    total: limit.total,
    remaining: limit.remaining,
    resetAfterMs: limit.reset_after,
    windowMs,
  };
}

/**
 * Checks identify limits, throwing a {@link ValidationError} that names the wrong field.
 *
 * @param limits - limits to check
 */
export function validateIdentifyLimits(limits: IdentifyLimits): void {
  requireInteger(limits.maxConcurrency, 'maxConcurrency', 1);
  requireInteger(limits.total, 'total', 0);
  requireInteger(limits.remaining, 'remaining', 0);
  if (limits.remaining > limits.total) {
    throw new ValidationError('remaining', `must not exceed total (${limits.remaining} > ${limits.total})`);
  }
  if (!(limits.resetAfterMs >= 0))
    throw new ValidationError('resetAfterMs', `must be ≥ 0 (got ${limits.resetAfterMs})`);
  if (limits.windowMs !== undefined && !(limits.windowMs > 0)) {
    throw new ValidationError('windowMs', `must be > 0 (got ${limits.windowMs})`);
  }
  if (limits.periodMs !== undefined && !(limits.periodMs > 0)) {
    throw new ValidationError('periodMs', `must be > 0 (got ${limits.periodMs})`);
  }
}
