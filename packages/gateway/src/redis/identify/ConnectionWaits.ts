import type { BotLogger } from '@bot/core';
import { DEFAULT_TRY_TIMEOUT_MS, type RetryPolicy } from '../support/retry.js';

/**
 * Tells of identify turns waiting for a reconnecting Redis client: one warning per outage, however
 * many shards wait and however many tries they make, and one line once a call goes through again.
 * A wait that outlasts its tries rejects, and the shard reports that itself.
 */
export class ConnectionWaits {
  readonly #log: BotLogger;
  readonly #deadline: string;
  #waiting = false;

  /**
   * @param log - where to tell it
   * @param retry - the queue's retry policy, which bounds each wait
   */
  public constructor(log: BotLogger, retry: RetryPolicy) {
    this.#log = log;
    const attempts = retry.attempts ?? 3;
    const timeoutMs = retry.timeoutMs ?? DEFAULT_TRY_TIMEOUT_MS;
    this.#deadline =
      attempts === Number.POSITIVE_INFINITY
        ? 'until it is back'
        : `up to ${attempts} ${attempts === 1 ? 'try' : 'tries'} of ${timeoutMs} ms each, then the wait fails and the shard tries again after its back-off`;
  }

  /** A try found the client reconnecting. */
  public waiting(): void {
    if (this.#waiting) return;
    this.#waiting = true;
    this.#log.warn(
      `Redis is not connected (the client is reconnecting): identify turns wait for the connection ` +
        `(${this.#deadline}); no shard identifies without a turn`,
    );
  }

  /** A call went through: the outage, if there was one, is over. */
  public through(): void {
    if (!this.#waiting) return;
    this.#waiting = false;
    this.#log.info('Redis is connected again: identify turns go on');
  }
}
