import { Deferred } from '@bot/core';
import { type PauseHolder, PauseHolders } from './PauseHolders.js';

/**
 * Whether a shard has stopped reading for its consumers' sake, who holds it so, and a way to wait
 * for that to end. The pause belongs to the shard, not to a connection: it outlives reconnects.
 */
export class ReadingPause {
  readonly #holders = new PauseHolders();
  #released: Deferred<void> | undefined;

  /** Whether reading is paused (by at least one holder). */
  public get paused(): boolean {
    return this.#released !== undefined;
  }

  /** The holders keeping reading paused. */
  public get pausedBy(): readonly PauseHolder[] {
    return this.#holders.holders;
  }

  /** @returns whether this call paused reading (false when another holder had already) */
  public pause(holder: PauseHolder): boolean {
    if (!this.#holders.add(holder)) return false;
    this.#released = new Deferred<void>();
    return true;
  }

  /** @returns whether this call resumed reading (false while another holder still holds it) */
  public resume(holder: PauseHolder): boolean {
    if (!this.#holders.delete(holder)) return false;
    const released = this.#released;
    this.#released = undefined;
    released?.resolve();
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
