/**
 * Milliseconds on a steady clock: it moves only forward, at the pace of real time, whatever
 * happens to the wall clock (a time sync, an operator's `date -s`, a virtual machine's clock
 * corrected after a pause).
 *
 * Every duration, window, pause and deadline of the project is counted on it. A wall clock stepped
 * back an hour would stretch such a wait by the hour; stepped forward, it would end a rate-limit
 * pause or an identify window early and send what the platform then refuses. The wall clock
 * (`Date.now()`) is kept for what is a date: timestamps the platform sends or reads, log times.
 *
 * It does not count time the machine spends suspended (it is the operating system's monotonic
 * clock). After a suspend, waits resume where they were, which errs on the safe side. A lifetime
 * the platform counts in real time (an access token's, a kept `file_info`'s) therefore ends when
 * either clock says so; a session start budget is read again at the next start.
 *
 * Readings only mean something against each other, within one process: never store one, never
 * send one to another thread or process (each has its own origin).
 *
 * @returns milliseconds since an arbitrary origin, with sub-millisecond precision
 */
export function steadyNow(): number {
  return performance.now();
}

/**
 * Whole milliseconds left before a deadline read on the steady clock, never below 0. Rounded up:
 * a wait of this length never ends before the deadline, and what is shown to users or handed to
 * their code (a delay, a timeout) stays an integer.
 *
 * @param deadline - when the wait must end: `steadyNow()` when it was set plus its length
 * @returns how long to wait still, 0 once the deadline has passed
 */
export function msUntil(deadline: number): number {
  return Math.max(0, Math.ceil(deadline - steadyNow()));
}
