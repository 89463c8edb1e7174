/** A wait that joined the fanout of a long-lived signal: its own signal, and the means to leave it. */
export interface FanoutWait {
  /** Aborts with the shared signal's reason (is that signal, when it had aborted already). */
  readonly signal: AbortSignal;
  /** Forgets the wait; call it once the wait is over. Calling it again does nothing. */
  leave(): void;
}

/**
 * One listener on a long-lived signal (a client's or a rate limiter's end) for any number of
 * waits under it. Each wait joins with a signal of its own, aborted with the shared signal's
 * reason, and leaves when it is over. A listener per wait would grow the shared signal's
 * listeners with the waits, and only a raised listener limit would keep Node from warning;
 * raising it would hide a real leak as well.
 *
 * The fanout does not bound its waits; their owners do. In `@bot/http`, the rate limiter's are
 * bounded by its queues (`maxQueued` per route) and pauses; the REST client's token waits and
 * back-offs are one per call in progress, each ended by its call's timeout.
 *
 * ```ts
 * const fanout = new AbortFanout(client.closing);
 * await fanout.within((signal) => sleep(1_000, callerSignal, signal));
 * ```
 */
export class AbortFanout {
  readonly #source: AbortSignal;
  readonly #waits = new Set<AbortController>();

  /** @param source - the shared signal; listened to once, for as long as it has not aborted */
  public constructor(source: AbortSignal) {
    this.#source = source;
    source.addEventListener('abort', () => this.#abortAll(), { once: true });
  }

  /** The shared signal. */
  public get signal(): AbortSignal {
    return this.#source;
  }

  /** How many waits are joined now: each stays until it leaves or the shared signal aborts. */
  public get size(): number {
    return this.#waits.size;
  }

  /**
   * Runs `wait` with a signal that aborts when the shared one does (at once if it has already),
   * and forgets that signal however `wait` ends.
   *
   * @param wait - the wait; it must end when the signal it is given aborts
   */
  public async within<T>(wait: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const joined = this.join();
    try {
      return await wait(joined.signal);
    } finally {
      joined.leave();
    }
  }

  /**
   * Joins a wait that does not fit {@link AbortFanout.within} (one that ends in a callback).
   *
   * @returns the wait's signal, and `leave`, to be called once the wait is over
   */
  public join(): FanoutWait {
    if (this.#source.aborted) return { signal: this.#source, leave: noop };
    const controller = new AbortController();
    return { signal: controller.signal, leave: this.add(controller) };
  }

  /**
   * Aborts a wait's own controller with the shared signal's reason (at once if it has aborted
   * already), for a wait that has one (a queued task's way out): no second controller.
   *
   * @param controller - the wait's controller
   * @returns forgets the controller; call it once the wait is over
   */
  public add(controller: AbortController): () => void {
    if (this.#source.aborted) {
      controller.abort(this.#source.reason);
      return noop;
    }
    this.#waits.add(controller);
    return () => this.#waits.delete(controller);
  }

  #abortAll(): void {
    const reason: unknown = this.#source.reason;
    for (const controller of this.#waits) controller.abort(reason);
    this.#waits.clear();
  }
}

function noop(): void {}
