/** How {@link until} polls. */
export interface PollOptions {
  /** How long to wait before failing, in milliseconds (15 s by default). */
  timeoutMs?: number;
  /** Time between two checks, in milliseconds (10 by default). */
  everyMs?: number;
}

/**
 * Polling for the tests that wait on Redis or on other processes: what they wait for takes far
 * longer than 50 ms, and a check may read a whole stream from Redis, so checking more often than
 * the default would only take CPU from the processes doing the work.
 */
export const SLOW_POLL = { everyMs: 50 } as const satisfies PollOptions;

/**
 * Resolves once `done()` holds, checking it every `everyMs` on the real clock; fails naming `what`
 * when it still does not hold after `timeoutMs`.
 */
export async function until(
  done: () => boolean | Promise<boolean>,
  what = 'the condition',
  { timeoutMs = 15_000, everyMs = 10 }: PollOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
