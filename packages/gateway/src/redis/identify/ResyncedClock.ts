import type { BotLogger } from '@bot/core';
import type { RedisClock } from '../support/RedisClock.js';
import {
  DEFAULT_TRY_TIMEOUT_MS,
  withRetries,
  withTimeout,
  type RetryHooks,
  type RetryPolicy,
} from '../support/retry.js';
import { messageOf, steadyNow } from '@bot/core';

/** What {@link ResyncedClock} uses of a {@link RedisClock}: measuring the server's clock and reading it. */
export type ServerClock = Pick<RedisClock, 'sync' | 'now' | 'reading'>;

/**
 * How far the wall clock's and the steady clock's counts since the last measurement may part
 * before the measurement is due at once: a time sync slews a clock by at most 0.5 ms/s, about
 * 15 ms over a 30 s interval; anything more is a step (or a suspend, which needs nothing but costs
 * one harmless measurement).
 */
export const WALL_STEP_LIMIT_MS = 100;

/** The pause after a failed re-measurement; it doubles with each failure, up to the interval. */
export const FIRST_RETRY_DELAY_MS = 1_000;

/**
 * The Redis server's clock as the identify queue reads it: the local wall clock plus an offset,
 * measured when the queue sets up and measured again once the measurement is `intervalMs` old on
 * the steady clock (clocks drift apart, and the server's may be set), or at once when the wall
 * clock stepped since (its count and the steady clock's parted by more than
 * {@link WALL_STEP_LIMIT_MS}).
 *
 * Re-measuring is opportunistic: a read of {@link now} starts it when due and never waits for it,
 * so no caller waits or fails because of it. While it is under way, or after it failed, the
 * estimate is off by at most the wall-clock step. Failed tries are repeated after a pause that
 * doubles up to `intervalMs`, and reported once when they start failing and once when one works
 * again. One measurement runs at a time, shared by every caller.
 */
export class ResyncedClock {
  readonly #clock: ServerClock;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #log: BotLogger;
  /** The measurement under way. */
  #measuring: Promise<void> | undefined;
  /** Failed measurements in a row, and the steady time before which none is tried again. */
  #failures = 0;
  #retryAtMs = Number.NEGATIVE_INFINITY;
  /** Whether the failures in a row were reported: their end is reported too. */
  #reported = false;

  /**
   * @param clock - the server's clock
   * @param intervalMs - how old the measurement may grow before it is taken again
   * @param log - where failed re-measurements are reported
   * @param timeoutMs - the most a re-measurement may take
   */
  public constructor(
    clock: ServerClock,
    intervalMs: number,
    log: BotLogger,
    timeoutMs = DEFAULT_TRY_TIMEOUT_MS,
  ) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#log = log;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * The server's time now, in ms since the epoch. Starts a measurement in the background when one
   * is due.
   */
  public now(): number {
    if (this.#measuring === undefined && this.#isDue()) void this.#measure().catch(() => undefined);
    return this.#clock.now();
  }

  /**
   * Measures the server's clock, retried by `retry` (each try bounded by its timeout); resolves
   * only once a measurement was taken (joining one under way when it succeeds).
   *
   * @param retry - tries, delays and timeout
   * @param hooks - cancellation, and the client to wait for while it reconnects
   * @throws `RedisOperationError` once the retries are spent
   */
  public async sync(retry: RetryPolicy, hooks: RetryHooks = {}): Promise<void> {
    await withRetries({ operation: "read the server's clock" }, () => this.#measure(), retry, hooks);
  }

  #isDue(): boolean {
    if (steadyNow() < this.#retryAtMs) return false;
    const reading = this.#clock.reading();
    if (reading === undefined) return true;
    const steadyElapsed = steadyNow() - reading.steadyMs;
    const wallElapsed = Date.now() - reading.wallMs;
    return steadyElapsed >= this.#intervalMs || Math.abs(wallElapsed - steadyElapsed) > WALL_STEP_LIMIT_MS;
  }

  /** The measurement under way, or a new one; rejects unless it set a reading. */
  #measure(): Promise<void> {
    this.#measuring ??= withTimeout(this.#clock.sync(), this.#timeoutMs)
      .then(
        () => this.#succeeded(),
        (error: unknown) => {
          this.#failed(error);
          throw error;
        },
      )
      .finally(() => (this.#measuring = undefined));
    return this.#measuring;
  }

  #succeeded(): void {
    if (this.#reported)
      this.#log.info(`measured the server's clock again after ${this.#failures} failed tries`);
    this.#reported = false;
    this.#failures = 0;
    this.#retryAtMs = Number.NEGATIVE_INFINITY;
  }

  #failed(error: unknown): void {
    this.#failures++;
    const delayMs = Math.min(this.#intervalMs, FIRST_RETRY_DELAY_MS * 2 ** (this.#failures - 1));
    this.#retryAtMs = steadyNow() + delayMs;
    // Reported once as the failures start; the first measurement's are the caller's to report.
    if (!this.#reported && this.#clock.reading() !== undefined) {
      this.#reported = true;
      this.#log.warn(
        `could not measure the server's clock again (${messageOf(error)}); keeping the last measurement ` +
          '(off by any step of the wall clock since) and trying again with growing pauses',
      );
    }
  }
}
