/** How long and how often the worker tests poll for a state the threads reach. */
export const WAIT = { timeout: 20_000, interval: 25 };

/** What `run` rejected with (`undefined` if it resolved). */
export function failure(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
}
