/** A signal, or its absence: the callers' `signal` options are optional. */
export type OptionalSignal = AbortSignal | undefined;

/**
 * The longest delay Node's timers accept: a longer one fires after 1 ms instead (with a
 * `TimeoutOverflowWarning`), which turns a long wait into a busy loop.
 */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * Calls `onAbort` with the reason of the first of `signals` to abort.
 *
 * @param signals - the signals to watch; `undefined` entries are skipped
 * @param onAbort - called at most once per aborting signal; stop listening in it to be called once
 * @returns a function that stops listening; call it once the work settled
 */
export function onFirstAbort(
  signals: readonly OptionalSignal[],
  onAbort: (reason: unknown) => void,
): () => void {
  const listeners: Array<[AbortSignal, () => void]> = [];
  for (const signal of signals) {
    if (signal === undefined) continue;
    const listener = (): void => onAbort(signal.reason);
    signal.addEventListener('abort', listener, { once: true });
    listeners.push([signal, listener]);
  }
  return () => {
    for (const [signal, listener] of listeners) signal.removeEventListener('abort', listener);
  };
}

/** The first of `signals` that has aborted already. */
export function firstAborted(signals: readonly OptionalSignal[]): AbortSignal | undefined {
  for (const signal of signals) if (signal?.aborted) return signal;
  return undefined;
}

/** A time limit for {@link raceAbort}: `error()` is what the wait rejects with once `ms` passed. */
export interface WaitLimit {
  ms: number;
  error: () => Error;
}

/**
 * Settles like `promise`, unless one of `signals` aborts first (then it rejects with that reason)
 * or `limit` passes. The underlying work is not cancelled, which is what shared work (one token
 * fetch awaited by many callers) needs: one caller giving up must not fail the others.
 *
 * @param promise - the shared work
 * @param signals - this caller's cancellations
 * @param limit - how long this caller waits at most, and the error it then rejects with
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signals: readonly OptionalSignal[],
  limit?: WaitLimit,
): Promise<T> {
  if (limit === undefined && signals.every((signal) => signal === undefined)) return promise;
  const aborted = firstAborted(signals);
  if (aborted !== undefined || (limit !== undefined && limit.ms <= 0)) {
    // Not waited for here, but not unhandled either: whoever else awaits it sees its outcome.
    promise.catch(() => undefined);
    return Promise.reject(aborted === undefined ? limit?.error() : aborted.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const timer =
      limit === undefined
        ? undefined
        : setTimeout(
            () => {
              stopListening();
              reject(limit.error());
            },
            Math.min(limit.ms, MAX_TIMER_DELAY),
          );
    const stopListening = onFirstAbort(signals, (reason) => {
      clearTimeout(timer);
      stopListening();
      reject(reason);
    });
    promise.then(
      (value) => {
        clearTimeout(timer);
        stopListening();
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        stopListening();
        reject(error);
      },
    );
  });
}
