/**
 * Whether `value` has a `then` method: a promise, or any promise-like a user's callback may return.
 *
 * @param value - what the callback returned
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
