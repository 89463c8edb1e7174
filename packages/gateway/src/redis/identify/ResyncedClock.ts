import type { BotLogger } from '@bot/core';
import type { RedisClock } from '../support/RedisClock.js';
import { DEFAULT_TRY_TIMEOUT_MS, withRetries, withTimeout, type RetryPolicy } from '../support/retry.js';
import { messageOf, steadyNow } from '@bot/core';

/** What {@link ResyncedClock} uses of a {@link RedisClock}: measuring the server's clock and reading it. */
export type ServerClock = Pick<RedisClock, 'sync' | 'now'>;

/**
 * The Redis server's clock as the identify queue reads it: measured when the queue sets up, and
 * measured again once the measurement is `intervalMs` old, while shards are waiting for a turn
 * (the local clock's pace may drift from the server's, and the server's clock may be set). The
 * interval is counted on the steady clock: a step of the local wall clock does not move it.
 */
export class ResyncedClock {
  readonly #clock: ServerClock;
  readonly #intervalMs: number;
  readonly #log: BotLogger;
  #syncedAt = Number.NEGATIVE_INFINITY;

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
    this.#syncedAt = steadyNow();
  }

  /**
   * Measures the server's clock again once the last measurement is `intervalMs` old; keeps the old
   * one on failure, or when no answer comes within `timeoutMs` (a link that stopped answering
   * would hold the wait for good).
   *
   * @param timeoutMs - the most the measurement may take
   */
  public async resyncIfDue(timeoutMs = DEFAULT_TRY_TIMEOUT_MS): Promise<void> {
    if (steadyNow() - this.#syncedAt < this.#intervalMs) return;
    this.#syncedAt = steadyNow();
    try {
      await withTimeout(this.#clock.sync(), timeoutMs);
    } catch (error) {
      this.#log.warn(`could not re-measure the server's clock; keeping the last offset: ${messageOf(error)}`);
    }
  }
}
