import { steadyNow } from '@bot/core';
import { ConnectionStability } from '../shard/ConnectionStability.js';

/**
 * The restarts in a row of one worker thread. The count starts over only once the thread's shards
 * have stayed ready for `stableAfterMs` (the rule of a shard's own back-off), so a thread that
 * exits soon after each resume keeps counting up to its limit instead of being restarted forever.
 * Counted on the steady clock (`steadyNow`), whatever the wall clock does.
 */
export class ThreadRestarts {
  readonly #stability: ConnectionStability;
  readonly #stableAfterMs: number;
  #count = 0;
  #timer: NodeJS.Timeout | undefined;

  /** @param stableAfterMs - how long the shards must stay ready for the count to start over */
  public constructor(stableAfterMs: number) {
    this.#stableAfterMs = stableAfterMs;
    this.#stability = new ConnectionStability(stableAfterMs);
  }

  /** Restarts in a row so far. */
  public get count(): number {
    return this.#count;
  }

  /** A shard of the thread is ready: the count starts over if the thread keeps running from here. */
  public sawReady(): void {
    const readyAt = steadyNow();
    this.#stability.ready(readyAt);
    this.#check(readyAt, this.#stableAfterMs);
  }

  /** The thread exited: the count starts over first if it had proved stable. */
  public exited(): void {
    if (this.#stability.ended(steadyNow())) this.#count = 0;
    this.#forget();
  }

  /** One more restart. */
  public add(): void {
    this.#count += 1;
  }

  /** Starts over (the thread's shards were closed, or started anew). */
  public reset(): void {
    this.#count = 0;
    this.#forget();
  }

  // A timer counts from the event loop's cached time, which can lag `steadyNow()` on a busy loop, so
  // it may fire before the shards have been ready `stableAfterMs` by the clock: look again then.
  // The steady clock, not the wall clock: a time sync stepping it must not prove the shards stable
  // at once (restarts then never run out) nor keep them unproven for the length of the step.
  #check(readyAt: number, delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const left = readyAt + this.#stableAfterMs - steadyNow();
      if (left > 0) this.#check(readyAt, left);
      else if (this.#stability.provenAt(steadyNow())) this.#count = 0;
    }, delayMs);
    this.#timer.unref();
  }

  #forget(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stability.ended(steadyNow());
  }
}
