import { firstAborted, MAX_TIMER_DELAY, onFirstAbort, type OptionalSignal } from './abort.js';

/** How the timer of a wait behaves. */
export interface SleepOptions {
  /**
   * Lets the process exit while the wait runs, as an unref'd timer does. For a wait nobody awaits
   * to finish work of their own (the hold of a rate-limit slot after its answer): a caller waiting
   * on it keeps the process alive with its own timer.
   * @defaultValue false
   */
  readonly unref?: boolean | undefined;
}

/**
 * Waits `ms` milliseconds, or rejects with the reason of the first of `signals` to abort. A delay
 * beyond {@link MAX_TIMER_DELAY} is shortened to it rather than overflowing Node's timers.
 *
 * @param ms - how long to wait
 * @param signals - each cancels the wait (the caller's signal, a client's shutdown)
 */
export function sleep(ms: number, ...signals: OptionalSignal[]): Promise<void> {
  return timedWait(ms, signals, {});
}

function timedWait(ms: number, signals: readonly OptionalSignal[], options: SleepOptions): Promise<void> {
  const aborted = firstAborted(signals);
  if (aborted) return Promise.reject(aborted.reason);
  return new Promise((resolve, reject) => {
    const stopListening = onFirstAbort(signals, (reason) => {
      clearTimeout(timer);
      // The other signals may live long (a caller's, a client's shutdown): no listener stays on them.
      stopListening();
      reject(reason);
    });
    const timer = setTimeout(
      () => {
        stopListening();
        resolve();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_DELAY),
    );
    if (options.unref === true) timer.unref();
  });
}

/**
 * Waits `ms` milliseconds, or less if `signal` aborts first. Never rejects: callers check the
 * signal afterwards, which keeps cancellation paths free of try/catch. A wait of 0 ms or less, or
 * on an aborted signal, is over at once, without a timer.
 *
 * @param ms - how long to wait
 * @param signal - ends the wait early
 * @param options - `unref`: the wait does not keep the process alive
 */
export function sleepUnlessAborted(
  ms: number,
  signal?: AbortSignal,
  options: SleepOptions = {},
): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return timedWait(ms, [signal], options).catch(noop);
}

/**
 * Waits for `promise`, but no longer than `ms` milliseconds. Never rejects: a deadline is a
 * bound on waiting, not a failure (the promise's own errors are handled where it was made).
 *
 * @param promise - the work to wait for
 * @param ms - the most to wait
 */
export async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  const controller = new AbortController();
  await Promise.race([promise.then(noop, noop), sleepUnlessAborted(ms, controller.signal)]);
  controller.abort();
}

function noop(): void {}
