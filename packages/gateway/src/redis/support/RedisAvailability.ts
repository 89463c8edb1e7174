import type { Redis } from 'ioredis';
import { steadyNow } from '@bot/core';

/** What a {@link RedisAvailability} tells its owner. */
export interface AvailabilityHooks {
  /** The connection dropped (once per outage); `cause` is the client's last error, if any. */
  lost(cause: unknown): void;
  /** The connection is ready again after `downMs` milliseconds. */
  back(downMs: number): void;
}

/**
 * Watches a client's connection and turns its events into outages: one `lost` as soon as the
 * client starts reconnecting after its socket closed (not after the next command times out), one
 * `back` when it is ready again. A close the application asked for (`disconnect()`, `quit()`) ends
 * in `end` without reconnecting, and is no outage. docs/redis-deployment.md, "Redis outages".
 */
export class RedisAvailability {
  readonly #redis: Redis;
  readonly #hooks: AvailabilityHooks;
  /** When the current outage began, on the steady clock. */
  #downSince: number | undefined;
  #lastError: unknown;
  #outages = 0;
  #downMs = 0;
  /** ioredis emits `reconnecting` right after an unexpected close, never after `disconnect()`. */
  readonly #onReconnecting = (): void => {
    if (this.#downSince !== undefined) return;
    this.#downSince = steadyNow();
    this.#outages++;
    this.#hooks.lost(this.#lastError);
  };
  readonly #onReady = (): void => {
    const since = this.#downSince;
    this.#downSince = undefined;
    this.#lastError = undefined;
    if (since === undefined) return;
    const downMs = Math.round(steadyNow() - since);
    this.#downMs += downMs;
    this.#hooks.back(downMs);
  };
  readonly #onError = (error: unknown): void => {
    this.#lastError = error;
  };

  /**
   * @param redis - the client to watch
   * @param hooks - whom to tell
   */
  public constructor(redis: Redis, hooks: AvailabilityHooks) {
    this.#redis = redis;
    this.#hooks = hooks;
    redis.on('reconnecting', this.#onReconnecting);
    redis.on('ready', this.#onReady);
    redis.on('error', this.#onError);
  }

  /** Whether the connection is down now. */
  public get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** Outages seen so far. */
  public get outages(): number {
    return this.#outages;
  }

  /** Milliseconds spent down, the current outage included. */
  public get downMs(): number {
    return this.#downMs + (this.#downSince === undefined ? 0 : Math.round(steadyNow() - this.#downSince));
  }

  /** Stops watching. */
  public stop(): void {
    this.#redis.off('reconnecting', this.#onReconnecting);
    this.#redis.off('ready', this.#onReady);
    this.#redis.off('error', this.#onError);
  }
}
