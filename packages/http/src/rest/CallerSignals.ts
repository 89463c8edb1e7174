import type { FanoutWait } from '@bot/core';

/**
 * The signals callers hand a client's calls (or a `MediaUploader`'s uploads), each listened to
 * once for every call waiting under it (for a window, a pause, the token, a back-off, an upload's
 * steps): a bot often gives all its requests one long-lived signal (its shutdown), and a listener
 * per waiting call would grow that signal's listeners with the queue (up to `maxQueued` per
 * route) and set off Node's leak warning at 11. A signal is let go of with its last call.
 * Attempts on the wire are `InFlightRequests`'.
 */
export class CallerSignals {
  /** The waits under each signal, each aborted with the signal's reason. */
  readonly #bySignal = new Map<AbortSignal, Set<AbortController>>();

  /** How many caller signals are listened to now: one per signal with a call waiting under it. */
  public get size(): number {
    return this.#bySignal.size;
  }

  /**
   * Joins a call to the one listener on `signal`.
   *
   * @param signal - the caller's signal
   * @returns a signal that aborts with `signal`'s reason (`signal` itself when it has already
   *   aborted), and `leave`, to be called once the call is over
   */
  public join(signal: AbortSignal): FanoutWait {
    if (signal.aborted) return { signal, leave: noop };
    let waits = this.#bySignal.get(signal);
    if (waits === undefined) {
      waits = new Set();
      this.#bySignal.set(signal, waits);
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    const controller = new AbortController();
    waits.add(controller);
    const joined = waits;
    return {
      signal: controller.signal,
      leave: () => {
        if (!joined.delete(controller) || joined.size > 0) return;
        if (this.#bySignal.get(signal) !== joined) return;
        this.#bySignal.delete(signal);
        signal.removeEventListener('abort', this.#onAbort);
      },
    };
  }

  readonly #onAbort = (event: Event): void => {
    const signal = event.target as AbortSignal;
    const waits = this.#bySignal.get(signal);
    this.#bySignal.delete(signal);
    if (waits === undefined) return;
    for (const controller of waits) controller.abort(signal.reason);
    waits.clear();
  };
}

function noop(): void {}
