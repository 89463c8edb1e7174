import { emulatorNow } from '../util/emulatorClock.js';
import type { SessionStartLimit } from '../protocol/wire.js';
import { PeriodicWindow } from '../util/PeriodicWindow.js';
/** Session start budget settings (reported by `GET /gateway/bot`). */
export interface SessionStartLimitOptions {
  /** Session starts per budget period (default 1000). */
  total: number;
  /** Starts left at launch (default: total). */
  remaining: number;
  /** Length of the budget period in ms (default 24 h). */
  resetAfter: number;
  /** Identifies allowed per window, one per bucket `shard_id % max_concurrency` (default 1). */
  maxConcurrency: number;
}

/** Why an identify was refused. */
export type IdentifyRefusal = 'too-fast' | 'exhausted';

/**
 * Identify pacing and the daily session budget: one identify per bucket
 * (`shard_id % max_concurrency`) per window, and no more identifies than `remaining`.
 * All time comes from the emulator's clock (`emulatorNow`, steady): a wall clock stepped forward opens
 * no window early and refills no budget, and fake timers that fake `performance` move it.
 */
export class IdentifyLimiter {
  readonly #options: SessionStartLimitOptions;
  readonly #windowMs: number;
  readonly #lastIdentify = new Map<number, number>();
  readonly #budget: PeriodicWindow;
  #remaining: number;

  /**
   * @param options budget settings
   * @param windowMs identify window in milliseconds (default 5000: one identify per bucket per 5 s)
   */
  constructor(options: SessionStartLimitOptions, windowMs: number, now: number = emulatorNow()) {
    this.#options = options;
    this.#windowMs = windowMs;
    this.#remaining = options.remaining;
    this.#budget = new PeriodicWindow(() => options.resetAfter, now);
  }

  /** Counts an identify for `shardId`, or says why it is refused. */
  tryIdentify(shardId: number, now: number = emulatorNow()): IdentifyRefusal | undefined {
    this.#roll(now);
    if (this.#remaining <= 0) return 'exhausted';
    const bucket = shardId % this.#options.maxConcurrency;
    const last = this.#lastIdentify.get(bucket);
    if (last !== undefined && now - last < this.#windowMs) return 'too-fast';
    this.#lastIdentify.set(bucket, now);
    this.#remaining--;
    return undefined;
  }

  /** The budget as `GET /gateway/bot` reports it. */
  snapshot(now: number = emulatorNow()): SessionStartLimit {
    this.#roll(now);
    return {
      total: this.#options.total,
      remaining: this.#remaining,
      reset_after: this.#budget.msLeft(now),
      max_concurrency: this.#options.maxConcurrency,
    };
  }

  /** Sets the starts left in the current period (a control for tests). */
  setRemaining(remaining: number): void {
    this.#remaining = remaining;
  }

  #roll(now: number): void {
    if (this.#budget.roll(now)) this.#remaining = this.#options.total;
  }
}
