import { ConnectionStability } from '../shard/ConnectionStability.js';

/**
 * The restarts in a row of one worker thread. The count starts over only once the thread's shards
 * have stayed ready for `stableAfterMs` (the rule of a shard's own back-off), so a thread that
 * exits soon after each resume keeps counting up to its limit instead of being restarted forever.
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
    const readyAt = Date.now();
    this.#stability.ready(readyAt);
    this.#check(readyAt, this.#stableAfterMs);
  }

  /** The thread exited: the count starts over first if it had proved stable. */
  public exited(): void {
    if (this.#stability.ended(Date.now())) this.#count = 0;
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

  // A timer counts from the event loop's cached time, which can lag `Date.now()` on a busy loop, so
  // it may fire before the shards have been ready `stableAfterMs` by the clock: look again then.
  #check(readyAt: number, delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const left = readyAt + this.#stableAfterMs - Date.now();
      if (left > 0) this.#check(readyAt, left);
      else if (this.#stability.provenAt(Date.now())) this.#count = 0;
    }, delayMs);
    this.#timer.unref();
  }

  #forget(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stability.ended(Date.now());
  }
}
