import {
  MAX_TIMER_DELAY,
  requireDuration,
  requireInteger,
  ValidationError,
  type SessionStartLimit,
} from '@bot/core';

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

  /**
   * The Identify frame of `shardId`'s latest turn has just been sent. The platform measures its
   * window from the frame's arrival, and a token fetch or a busy event loop can sit between the
   * turn and the frame, so a queue that implements this measures the bucket's next window from
   * now (never earlier than it already would). Shards call it right after writing the frame.
   *
   * @param shardId - the shard whose Identify went out
   */
  identifySent?(shardId: number): void;
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
  windowMs?: number | undefined;
  /** Length of each budget period after the first reset in milliseconds (24 h by default). */
  periodMs?: number | undefined;
  /**
   * Safety margin added to every window, in milliseconds (by default the larger of 250 ms and
   * 10 % of the window: {@link identifyMarginMs}). It absorbs what the queue cannot see: the path
   * from this process to the platform, and how far apart the clocks of several processes are.
   */
  marginMs?: number | undefined;
}

/**
 * Most buckets (`maxConcurrency`) a queue takes. Shards fall into buckets `shard_id % max_concurrency`,
 * so past the shard count every shard has a bucket of its own; a manager runs at most 10,000 shards
 * (`MAX_SHARD_COUNT`), and a larger count only says the numbers are broken. A queue shared through
 * Redis closes each bucket by name when its state is lost, so the bound keeps that work small too.
 */
export const MAX_IDENTIFY_CONCURRENCY = 10_000;

/** Default identify window: the platform documents one identify per bucket per 5 s. */
export const DEFAULT_IDENTIFY_WINDOW_MS = 5_000;

/** Smallest default safety margin over the identify window, in milliseconds. */
export const MIN_IDENTIFY_MARGIN_MS = 250;

/**
 * The safety margin a queue keeps over the identify window (docs/protocol.md §5.3):
 * `limits.marginMs`, or by default the
 * larger of {@link MIN_IDENTIFY_MARGIN_MS} and 10 % of the window. Why that much: windows are
 * measured from the moment the Identify frame is sent, but the platform measures them on arrival,
 * and two frames sent a window apart may take paths whose latency differs by tens of milliseconds;
 * processes sharing a queue agree on time only to within half a round trip to the shared clock;
 * and a busy event loop delays the timer that opens the window. 250 ms covers each of these
 * several times over on one network; 10 % keeps the same proportion for longer windows. The
 * price: each identify of a bucket waits 10 % longer (16 shards in one bucket start in 88 s
 * instead of 80 s), against a refused identify that costs a session start and a reconnect.
 *
 * @param limits - the window (5 s by default) and an explicit margin, if any
 */
export function identifyMarginMs(limits: Pick<IdentifyLimits, 'windowMs' | 'marginMs'>): number {
  const windowMs = limits.windowMs ?? DEFAULT_IDENTIFY_WINDOW_MS;
  return limits.marginMs ?? Math.max(MIN_IDENTIFY_MARGIN_MS, Math.round(windowMs / 10));
}

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
  if (limits.maxConcurrency > MAX_IDENTIFY_CONCURRENCY) {
    throw new ValidationError(
      'maxConcurrency',
      `must be at most ${MAX_IDENTIFY_CONCURRENCY}, a bucket for each shard a manager runs (got ${limits.maxConcurrency})`,
    );
  }
  requireInteger(limits.total, 'total', 0);
  requireInteger(limits.remaining, 'remaining', 0);
  if (limits.remaining > limits.total) {
    throw new ValidationError('remaining', `must not exceed total (${limits.remaining} > ${limits.total})`);
  }
  // Each is waited for with a timer: Node fires one longer than MAX_TIMER_DELAY after 1 ms.
  if (!(limits.resetAfterMs >= 0 && limits.resetAfterMs <= MAX_TIMER_DELAY)) {
    throw new ValidationError(
      'resetAfterMs',
      `must be ≥ 0 and at most ${MAX_TIMER_DELAY} ms (got ${limits.resetAfterMs})`,
    );
  }
  if (limits.windowMs !== undefined) requireDuration(limits.windowMs, 'windowMs');
  if (limits.marginMs !== undefined && !(limits.marginMs >= 0 && limits.marginMs <= MAX_TIMER_DELAY)) {
    throw new ValidationError(
      'marginMs',
      `must be a finite number ≥ 0, at most ${MAX_TIMER_DELAY} ms (got ${limits.marginMs})`,
    );
  }
  if (limits.periodMs !== undefined) requireDuration(limits.periodMs, 'periodMs');
}
