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
 * Milliseconds left before `deadline`, between 0 and `most`. A deadline set `most` ms ahead never
 * has more left than that: once the wall clock has stepped back since it was set (a time sync, a
 * resumed VM), the difference alone would stretch the wait by the size of the step, an hour for
 * an hour's step.
 *
 * @param deadline - when the wait must end, in epoch milliseconds
 * @param most - how far ahead the deadline was set, in milliseconds
 */
export function msLeft(deadline: number, most: number): number {
  return Math.min(most, Math.max(0, deadline - Date.now()));
}
