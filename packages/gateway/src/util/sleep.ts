/**
 * Waits `ms` milliseconds, or less if `signal` aborts first. Never rejects: callers check the
 * signal afterwards, which keeps cancellation paths free of try/catch.
 *
 * @param ms - how long to wait
 * @param signal - ends the wait early
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
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
  await Promise.race([promise.then(noop, noop), sleep(ms, controller.signal)]);
  controller.abort();
}

function noop(): void {}
