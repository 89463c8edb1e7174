/**
 * Milliseconds from `since` to `now`, both read on the steady clock, for the emulator's rate
 * windows (the identify window, a channel's messages per second, a stream's frame interval).
 * A `since` later than `now` counts as long past: the steady clock only moves forward, except
 * when a test's fake timers start faking `performance`, which restarts it from 0. What was
 * counted on the real clock before then must not hold the test back for as long as the process
 * had been running.
 *
 * @param since - when the counted thing happened
 * @param now - the current reading
 * @returns the time between them, or `Infinity` when `since` is after `now`
 */
export function msSince(since: number, now: number): number {
  return since > now ? Number.POSITIVE_INFINITY : now - since;
}
