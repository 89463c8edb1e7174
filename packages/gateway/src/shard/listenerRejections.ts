import { captureRejectionSymbol } from 'node:events';

/**
 * Whether `result`, what a listener or callback typed `=> void` returned, is a promise (an `async`
 * function's). One property read: nothing more for a listener that returns nothing.
 *
 * @param result - the returned value
 */
export function isThenable(result: unknown): result is PromiseLike<unknown> {
  return typeof (result as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * Hands the rejection of a promise returned by one of `emitter`'s listeners to `onRejected`, with
 * the event's name and arguments, instead of letting it become an unhandled rejection. The emitter
 * must have been constructed with `captureRejections: true`: Node then attaches a handler only to a
 * listener result that has a `then` method, so a listener that returns nothing costs nothing more.
 *
 * @param emitter - the emitter, constructed with `captureRejections: true`
 * @param onRejected - told of each rejection, a turn after it
 */
export function onListenerRejection(
  emitter: object,
  onRejected: (cause: unknown, event: string, args: readonly unknown[]) => void,
): void {
  Object.defineProperty(emitter, captureRejectionSymbol, {
    value: (cause: unknown, event: string | symbol, ...args: unknown[]) =>
      onRejected(cause, String(event), args),
  });
}
