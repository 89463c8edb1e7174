import type { BotLogger } from '@bot/core';

/** What {@link ReconnectLog.lost} reports about one ended connection attempt. */
export interface LostConnection {
  /** Why it ended, in words (close code and meaning, zombie, Hello timeout, …). */
  why: string;
  /** What the shard does next. */
  next: 'resume' | 'identify';
  /** Wait before the next attempt, in milliseconds. */
  delayMs: number;
  /** The attempt had reached READY or RESUMED (a live connection was lost, not a retry failed). */
  wasReady: boolean;
}

/**
 * The shard's account of an outage at the default log level: each lost connection and each failed
 * retry with its reason and the wait before the next, then how long recovery took (every `now` a
 * reading of the steady clock, so a wall clock step does not show in it). A user whose bot went
 * quiet reads here what it is doing; frame-level detail stays at debug.
 */
export class ReconnectLog {
  readonly #log: BotLogger;
  #since: number | undefined;
  #attempts = 0;

  /** @param log - the shard's logger */
  public constructor(log: BotLogger) {
    this.#log = log;
  }

  /** A connection attempt ended; another follows after `delayMs`. */
  public lost(lost: LostConnection, now: number): void {
    this.#since ??= now;
    const then = `${lost.next === 'resume' ? 'resuming' : 'identifying'} in ${lost.delayMs} ms`;
    if (lost.wasReady) {
      this.#log.info(`disconnected: ${lost.why}; ${then}`);
      return;
    }
    this.#attempts++;
    this.#log.warn(`reconnect attempt ${this.#attempts} failed: ${lost.why}; ${then}`);
  }

  /** READY or RESUMED arrived: closes the outage, if there was one, with its length. */
  public recovered(how: 'resumed' | 'identified', now: number): void {
    const since = this.#since;
    if (since === undefined) return;
    const attempts = this.#attempts + 1;
    const seconds = ((now - since) / 1_000).toFixed(1);
    this.#log.info(`${how} after ${attempts} attempt${attempts === 1 ? '' : 's'} / ${seconds} s`);
    this.#since = undefined;
    this.#attempts = 0;
  }

  /** The shard stopped (closed or fatal): any outage in progress ends without recovery. */
  public reset(): void {
    this.#since = undefined;
    this.#attempts = 0;
  }
}
