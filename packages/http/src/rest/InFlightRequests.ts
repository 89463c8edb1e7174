import type { CancelableRequest } from '@bot/core';

/**
 * The attempts of one `RestClient` on the wire, cancelled at once when the client closes or when
 * the signal their caller gave aborts. One listener on the client's closing signal serves them all,
 * and one listener per caller signal serves every attempt on the wire under it: got's `signal`
 * option adds a listener per request, costing a few microseconds of each, and a bot handing one
 * long-lived signal to many concurrent requests would set off Node's leak warning at 11.
 */
export class InFlightRequests {
  readonly #requests = new Set<CancelableRequest<unknown>>();
  /** The attempts on the wire under each caller signal; a signal is dropped with its last one. */
  readonly #bySignal = new Map<AbortSignal, Set<CancelableRequest<unknown>>>();
  readonly #closed: AbortSignal;

  /** @param closed - aborted when the client is destroyed */
  public constructor(closed: AbortSignal) {
    this.#closed = closed;
    closed.addEventListener('abort', () => this.#cancelAll(), { once: true });
  }

  /** Whether the client is closed: an attempt cancelled now was cancelled by its end. */
  public get closed(): boolean {
    return this.#closed.aborted;
  }

  /** How many attempts are tracked now: each stays until it settles or the client closes. */
  public get size(): number {
    return this.#requests.size;
  }

  /** How many caller signals are listened to now: one per signal with an attempt on the wire. */
  public get signals(): number {
    return this.#bySignal.size;
  }

  /**
   * Keeps `request` until {@link InFlightRequests.untrack}; cancels it at once when the client is
   * closed or `signal` aborted already.
   *
   * @param request - an attempt just sent
   * @param signal - the caller's signal, which cancels the attempt when it aborts
   */
  public track(request: CancelableRequest<unknown>, signal?: AbortSignal): void {
    if (this.#closed.aborted || signal?.aborted === true) {
      request.cancel();
      return;
    }
    this.#requests.add(request);
    if (signal === undefined) return;
    let underSignal = this.#bySignal.get(signal);
    if (underSignal === undefined) {
      underSignal = new Set();
      this.#bySignal.set(signal, underSignal);
      signal.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
    underSignal.add(request);
  }

  /**
   * Lets go of a settled attempt, and of its signal when no other attempt is under it.
   *
   * @param request - what was tracked
   * @param signal - the signal it was tracked with
   */
  public untrack(request: CancelableRequest<unknown>, signal?: AbortSignal): void {
    this.#requests.delete(request);
    if (signal === undefined) return;
    const underSignal = this.#bySignal.get(signal);
    if (underSignal === undefined) return;
    underSignal.delete(request);
    if (underSignal.size === 0) this.#forget(signal);
  }

  readonly #onCallerAbort = (event: Event): void => {
    const signal = event.target as AbortSignal;
    const underSignal = this.#bySignal.get(signal);
    this.#bySignal.delete(signal);
    if (underSignal === undefined) return;
    for (const request of underSignal) {
      this.#requests.delete(request);
      request.cancel();
    }
  };

  #forget(signal: AbortSignal): void {
    this.#bySignal.delete(signal);
    signal.removeEventListener('abort', this.#onCallerAbort);
  }

  #cancelAll(): void {
    for (const signal of [...this.#bySignal.keys()]) this.#forget(signal);
    for (const request of this.#requests) request.cancel();
    this.#requests.clear();
  }
}
