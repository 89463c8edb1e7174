import { Deferred } from '@bot/core';

/**
 * Whether a shard has stopped reading for its consumer's sake, and a way to wait for that to end.
 * The pause belongs to the shard, not to a connection: it outlives reconnects.
 */
export class ReadingPause {
  #released: Deferred<void> | undefined;

  /** Whether reading is paused. */
  public get paused(): boolean {
    return this.#released !== undefined;
  }

  /** @returns whether this call paused (false when already paused) */
  public pause(): boolean {
    if (this.#released !== undefined) return false;
    this.#released = new Deferred<void>();
    return true;
  }

  /** @returns whether this call resumed (false when not paused) */
  public resume(): boolean {
    const released = this.#released;
    if (released === undefined) return false;
    this.#released = undefined;
    released.resolve();
    return true;
  }

  /**
   * Resolves once reading is no longer paused (at once when it is not), or when `signal` aborts.
   * Never rejects.
   */
  public whenResumed(signal: AbortSignal): Promise<void> {
    const released = this.#released;
    if (released === undefined || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      void released.promise.then(done);
    });
  }
}
