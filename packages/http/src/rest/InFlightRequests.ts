import type { CancelableRequest } from '@bot/core';

/**
 * The attempts of one `RestClient` on the wire, cancelled at once when the client closes. One
 * listener on the client's closing signal serves them all: an abort listener added to and
 * removed from a signal per request (got's `signal` option) cost a few microseconds of every
 * request, more than a set entry.
 */
export class InFlightRequests {
  readonly #requests = new Set<CancelableRequest<unknown>>();
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

  /**
   * Keeps `request` until {@link InFlightRequests.untrack}; cancels it at once when the client is
   * closed already.
   *
   * @param request - an attempt just sent
   */
  public track(request: CancelableRequest<unknown>): void {
    if (this.#closed.aborted) request.cancel();
    else this.#requests.add(request);
  }

  /**
   * Lets go of a settled attempt.
   *
   * @param request - what was tracked
   */
  public untrack(request: CancelableRequest<unknown>): void {
    this.#requests.delete(request);
  }

  #cancelAll(): void {
    for (const request of this.#requests) request.cancel();
    this.#requests.clear();
  }
}
