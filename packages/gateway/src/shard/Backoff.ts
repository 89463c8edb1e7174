import { backoffDelay, type BackoffOptions as DelayCurve } from '@bot/core';

/**
 * The shard's reconnect back-off as users set it: `@bot/core`'s delay curve (`base`, `max`) in
 * option form, plus when a connection counts as stable.
 */
export interface ReconnectBackoffOptions {
  /** Delay of the second attempt in milliseconds; doubles each attempt after it (1 s by default). */
  baseMs?: number | undefined;
  /** Upper bound of any delay in milliseconds (60 s by default). */
  maxMs?: number | undefined;
  /**
   * How long a connection must stay ready before the attempt counter starts over, in milliseconds
   * (60 s by default); it also ends the run of op 9 and oversized-frame ends counted in a row.
   * Connections that end sooner keep the delays growing, so a server that closes right after READY
   * or RESUMED is retried at a slowing pace rather than in a tight loop. One exception: a
   * connection the platform ended in the ordinary way (op 7, or a close that resumes, such as 4009)
   * starts the counter over when a scheduled heartbeat (not one the server asked for with op 1) was
   * acknowledged past its READY or RESUMED and it stayed ready for at least `baseMs`.
   */
  stableAfterMs?: number | undefined;
}

/** Default of {@link ReconnectBackoffOptions.stableAfterMs}. */
export const DEFAULT_STABLE_AFTER_MS = 60_000;

/**
 * The shard's attempt counter on `@bot/core`'s `backoffDelay`. The first attempt goes out at once
 * (a healthy session that drops should be back within a round trip); attempt `n ≥ 2` waits
 * `backoffDelay(n - 2)`, jittered, so many shards failing together do not retry in lockstep.
 */
export class Backoff {
  readonly #curve: DelayCurve;
  #attempt = 0;

  /** @param options - base and maximum delay */
  public constructor(options: ReconnectBackoffOptions = {}) {
    this.#curve = { base: options.baseMs ?? 1_000, max: options.maxMs ?? 60_000 };
  }

  /** Delay of the second attempt in milliseconds, the curve's base. */
  public get baseMs(): number {
    return this.#curve.base;
  }

  /** Attempts made since the last {@link Backoff.reset}. */
  public get attempt(): number {
    return this.#attempt;
  }

  /** Counts one more attempt and returns how long to wait before making it, in milliseconds. */
  public next(): number {
    this.#attempt++;
    if (this.#attempt === 1) return 0;
    return backoffDelay(this.#attempt - 2, this.#curve);
  }

  /** Starts counting from zero again (after a success). */
  public reset(): void {
    this.#attempt = 0;
  }
}
