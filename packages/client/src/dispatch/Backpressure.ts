import { ValidationError } from '@bot/core';

/**
 * How many parsed events one shard's lane may hold (running and waiting) before the client stops
 * reading that shard's socket. The backlog then waits on the platform's side, not in memory.
 */
export interface BackpressureOptions {
  /**
   * Events held at which the shard is paused (1,000 by default). At least the dispatch policy's
   * concurrency limit, or the lane pauses before it can run at full width.
   */
  highWaterMark?: number | undefined;
  /** Events held at which a paused shard reads again (half the high-water mark by default). */
  lowWaterMark?: number | undefined;
}

/** Back-pressure marks, checked and with the defaults filled in. */
export interface WaterMarks {
  /** Events held at which the shard is paused. */
  readonly highWaterMark: number;
  /** Events held at which a paused shard reads again. */
  readonly lowWaterMark: number;
}

/** Default high-water mark: 1,000 events per shard, about 1 MB of parsed payloads. */
export const DEFAULT_HIGH_WATER_MARK = 1_000;

/**
 * Checks back-pressure options and fills in the defaults.
 *
 * @param options - as given to the builder
 * @param concurrency - events the dispatch policy runs at once on one shard
 * @throws {@link ValidationError} naming `backpressure.highWaterMark` or `backpressure.lowWaterMark`
 */
export function resolveWaterMarks(options: BackpressureOptions, concurrency: number): WaterMarks {
  const highWaterMark = options.highWaterMark ?? Math.max(DEFAULT_HIGH_WATER_MARK, concurrency);
  if (!Number.isSafeInteger(highWaterMark) || highWaterMark < concurrency) {
    throw new ValidationError(
      'backpressure.highWaterMark',
      `must be an integer ≥ the dispatch policy's concurrency ${concurrency} (got ${highWaterMark})`,
    );
  }
  const lowWaterMark = options.lowWaterMark ?? Math.floor(highWaterMark / 2);
  if (!Number.isSafeInteger(lowWaterMark) || lowWaterMark < 0 || lowWaterMark >= highWaterMark) {
    throw new ValidationError(
      'backpressure.lowWaterMark',
      `must be an integer from 0 to ${highWaterMark - 1}, below the high-water mark (got ${lowWaterMark})`,
    );
  }
  return { highWaterMark, lowWaterMark };
}
