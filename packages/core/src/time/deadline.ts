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
