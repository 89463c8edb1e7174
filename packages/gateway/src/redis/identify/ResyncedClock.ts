import type { BotLogger } from '@bot/core';
import type { RedisClock } from '../support/RedisClock.js';
import { DEFAULT_TRY_TIMEOUT_MS, withRetries, withTimeout, type RetryPolicy } from '../support/retry.js';
import { messageOf, steadyNow } from '@bot/core';

/** What {@link ResyncedClock} uses of a {@link RedisClock}: measuring the server's clock and reading it. */
export type ServerClock = Pick<RedisClock, 'sync' | 'now'>;

/**
 * How far the wall clock's and the steady clock's counts since the last measurement may part
 * before the measurement is taken again at once: beyond the pace at which a time sync slews a
 * clock over an interval, well below a window's safety margin stacked over many windows.
 */
export const CLOCK_SPLIT_LIMIT_MS = 1_000;

/**
 * The Redis server's clock as the identify queue reads it: measured when the queue sets up, and
 * measured again once the measurement is `intervalMs` old, while shards are waiting for a turn
 * (the local clock's pace may drift from the server's, and the server's clock may be set). The
 * interval is counted on the steady clock: a step of the local wall clock does not put it off.
 *
 * Between measurements the server's time is counted on from the last one on the steady clock,
 * which stands still while the machine is suspended, so after a suspend the count lags the server
 * by the time spent suspended. The wall clock counts that time, so when the two clocks' counts
 * since the measurement part by more than {@link CLOCK_SPLIT_LIMIT_MS} (a suspend, or a step of
 * the wall clock) the measurement is due at once.
 */
export class ResyncedClock {
  readonly #clock: ServerClock;
  readonly #intervalMs: number;
  readonly #log: BotLogger;
  /** When the last measurement was taken or tried, on each clock. */
  #syncedAt = { steadyMs: Number.NEGATIVE_INFINITY, wallMs: Number.NEGATIVE_INFINITY };
  /** The measurement under way, which every caller meanwhile waits for. */
  #resync: Promise<void> | undefined;

  /**
   * @param clock - the server's clock
   * @param intervalMs - how old the measurement may grow before it is taken again
   * @param log - where a failed re-measurement is reported
   */
  public constructor(clock: ServerClock, intervalMs: number, log: BotLogger) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#log = log;
  }

  /** The server's time now, in ms since the epoch. */
  public now(): number {
    return this.#clock.now();
  }

  /**
   * Measures the server's clock, retried by `retry`.
   *
   * @throws `RedisOperationError` once the retries are spent
   */
  public async sync(retry: RetryPolicy): Promise<void> {
    await withRetries({ operation: "read the server's clock" }, () => this.#clock.sync(), retry);
    this.#syncedAt = { steadyMs: steadyNow(), wallMs: Date.now() };
  }

  /**
   * Measures the server's clock again once the last measurement is `intervalMs` old, or at once
   * when the wall and steady clocks have parted since (a suspend, a wall-clock step); keeps the old
   * measurement on failure, or when no answer comes within `timeoutMs` (a link that stopped
   * answering would hold the wait for good). After a failure the interval starts again, but a
   * suspend still unmeasured is tried at the next call. Callers meanwhile wait for the same
   * measurement.
   *
   * @param timeoutMs - the most the measurement may take
   */
  public async resyncIfDue(timeoutMs = DEFAULT_TRY_TIMEOUT_MS): Promise<void> {
    if (this.#resync === undefined && this.#isDue()) this.#resync = this.#remeasure(timeoutMs);
    await this.#resync;
  }

  #isDue(): boolean {
    const steadyElapsed = steadyNow() - this.#syncedAt.steadyMs;
    const wallElapsed = Date.now() - this.#syncedAt.wallMs;
    return steadyElapsed >= this.#intervalMs || Math.abs(wallElapsed - steadyElapsed) > CLOCK_SPLIT_LIMIT_MS;
  }

  async #remeasure(timeoutMs: number): Promise<void> {
    const steadyMs = steadyNow();
    try {
      await withTimeout(this.#clock.sync(), timeoutMs);
      this.#syncedAt = { steadyMs, wallMs: Date.now() - (steadyNow() - steadyMs) };
    } catch (error) {
      // The interval starts again, but the clocks' parting is kept: a suspend not yet measured is
      // tried again at the next call (as is a clock never measured).
      const last = this.#syncedAt;
      if (Number.isFinite(last.steadyMs))
        this.#syncedAt = { steadyMs, wallMs: last.wallMs + (steadyMs - last.steadyMs) };
      this.#log.warn(
        `could not re-measure the server's clock; keeping the last measurement: ${messageOf(error)}`,
      );
    } finally {
      this.#resync = undefined;
    }
  }
}
