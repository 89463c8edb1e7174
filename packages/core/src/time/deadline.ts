/** A request that can be called off: got's promises are (`PCancelable`). */
export interface CancelableRequest<T> extends PromiseLike<T> {
  /** Aborts the request; its promise then rejects. */
  cancel(): void;
}

/**
 * What a request rejects with once its deadline passed. It looks like got's own timeout error
 * (`name` `TimeoutError`, `code` `ETIMEDOUT`), so every caller reads both alike.
 */
export class DeadlineExceededError extends Error {
  public readonly code = 'ETIMEDOUT';

  /** @param ms - the deadline that passed, in milliseconds */
  public constructor(public readonly ms: number) {
    super(`request took longer than ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Waits for `request`, cancelling it if it has not settled within `ms`. One timer per request:
 * got's own `timeout` option arms a timer and half a dozen event listeners per request, which
 * cost a tenth of a keep-alive request's CPU time, for the one deadline a bot needs.
 *
 * @param request - the request in flight
 * @param ms - its deadline, counted from now to the last byte of the answer
 * @returns the request's result
 * @throws {@link DeadlineExceededError} when the deadline passed first
 */
export async function withDeadline<T>(request: CancelableRequest<T>, ms: number): Promise<T> {
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    request.cancel();
  }, ms);
  // A deadline alone must not keep a process alive that has nothing else to do.
  timer.unref();
  try {
    return await request;
  } catch (error) {
    if (expired) throw new DeadlineExceededError(ms);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
