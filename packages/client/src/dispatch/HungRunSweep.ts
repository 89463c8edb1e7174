import { steadyNow } from '@bot/core';
import type { PendingRun, PendingRuns } from './PendingRuns.js';

/**
 * How long a lane waits for one run of an item, and whom it tells when it stops waiting: a run
 * unsettled after `timeoutMs` gives up its slot, so one handler that never settles cannot hold
 * its shard's lane (and, through back-pressure, its socket) for ever.
 *
 * @typeParam T - one item of work (an event)
 */
export interface LaneDeadline<T> {
  /**
   * The most a run may take before the lane stops waiting for it, in milliseconds;
   * `Number.POSITIVE_INFINITY`: no limit, the lane waits as long as it takes.
   */
  readonly timeoutMs: number;
  /**
   * Told of each run the lane stopped waiting for, once, oldest first: its item and how long it
   * had run (ms). The run goes on unwaited; its later end frees nothing.
   */
  onTimeout(item: T, ranMs: number): void;
}

/**
 * The deadline of a lane's pending runs, kept by one timer per lane rather than one per run: a
 * timer per run would cost every event of an `async` handler a timer set and cleared. The timer
 * exists only while a run is pending, and is due when the oldest pending run (the list keeps them
 * in start order) reaches the deadline; when it fires, it takes out every run past the deadline and
 * sets itself again for the next oldest. A lane whose handlers finish synchronously never gets here.
 *
 * The timer is `unref`'d: it watches runs, and must not keep a process alive that has nothing else
 * to do.
 *
 * @typeParam T - one item of work (an event)
 */
export class HungRunSweep<T> {
  readonly #timeoutMs: number;
  readonly #pending: PendingRuns<T>;
  readonly #expire: (runs: ReadonlyArray<PendingRun<T>>, now: number) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param timeoutMs - the deadline of each run, at most `MAX_TIMER_DELAY` (checked by the caller)
   * @param pending - the lane's pending runs, each added with its start time on the steady clock
   *   (`steadyNow` of core)
   * @param expire - receives the runs past the deadline, already taken out of `pending`, and the
   *   time of the sweep that found them; never expected to throw
   */
  public constructor(
    timeoutMs: number,
    pending: PendingRuns<T>,
    expire: (runs: ReadonlyArray<PendingRun<T>>, now: number) => void,
  ) {
    this.#timeoutMs = timeoutMs;
    this.#pending = pending;
    this.#expire = expire;
  }

  /**
   * A run was just added to the pending runs: arms the timer when none is set. With a timer set,
   * an older run is due first, and the timer looks at this one after it.
   */
  public watch(): void {
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
  }

  /** No run is pending any more (all settled, or a shutdown gave up on them): no timer is left. */
  public stop(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    // At least 1 ms: a timer can fire a little before the clock says it is due.
    const timer = setTimeout(this.#sweep, Math.max(1, delayMs));
    timer.unref?.();
    this.#timer = timer;
  }

  readonly #sweep = (): void => {
    this.#timer = undefined;
    // The steady clock, as the runs' start times: a wall clock stepped back would wait for the
    // runs the size of the step on top of the deadline, and one stepped forward give up early.
    const now = steadyNow();
    const pending = this.#pending;
    const expired: Array<PendingRun<T>> = [];
    for (
      let run = pending.oldest;
      run !== undefined && now - run.startedAt >= this.#timeoutMs;
      run = pending.oldest
    ) {
      pending.remove(run);
      expired.push(run);
    }
    // Set before the lane hears of them: the runs it starts in their place must find it set.
    const next = pending.oldest;
    if (next !== undefined) this.#arm(next.startedAt + this.#timeoutMs - now);
    if (expired.length > 0) this.#expire(expired, now);
  };
}
