import { isThenable } from '@bot/core';
import { concurrencyOf, type DispatchPolicy } from './DispatchPolicy.js';
import { steadyArrivalTime } from '../models/arrivalTime.js';
import { FifoQueue } from './FifoQueue.js';
import { HungRunSweep, type LaneDeadline } from './HungRunSweep.js';
import { PendingRuns, type PendingRun } from './PendingRuns.js';
import type { Completion } from './runInOrder.js';

export type { LaneDeadline } from './HungRunSweep.js';

/**
 * Back-pressure of one lane: once `highWaterMark` items are held (waiting or running), `pause()`
 * asks the source to stop sending; once the lane is down to `lowWaterMark`, `resume()` lets it go
 * on. The marks are apart so a lane near its limit does not flip on every item.
 */
export interface LaneFlow {
  /** Items held at which `pause()` is called. */
  readonly highWaterMark: number;
  /** Items held at which a paused lane calls `resume()`; below `highWaterMark`. */
  readonly lowWaterMark: number;
  /** Stop sending items; called once per crossing of the high-water mark. */
  pause(): void;
  /** Send items again; called once per crossing of the low-water mark after a pause. */
  resume(): void;
}

/**
 * Runs the items of one shard under a {@link DispatchPolicy}: at most `limit` at once (1 for
 * `sequential`), started in the order they arrived. An item whose run finishes synchronously frees
 * its slot at once, so handlers that do not await cost the lane no promise. A run that rejects
 * goes to `onRejected` (the item's own failure: the dispatcher hands a lone `async` handler's
 * promise over as it is, rather than wrap it in one more promise per event), and its slot frees
 * once that has finished. A run that throws, a rejection without `onRejected`, and an
 * `onRejected` that fails are bugs, which go to `onThrow` and still free their slot.
 *
 * With a {@link LaneFlow} the lane also tells its source when to stop and go on, so what it holds
 * stays near the high-water mark however slow the handlers are. With a {@link LaneDeadline} it
 * stops waiting for a run that has not settled in time: the slot frees, the next item starts, and
 * `onTimeout` is told; the run's own end, whenever it comes, frees nothing more (a rejection still
 * goes to `onRejected`).
 *
 * @typeParam T - one item of work (an event)
 */
export class ShardLane<T> {
  readonly #limit: number;
  readonly #run: (item: T) => Completion;
  readonly #onThrow: (error: unknown) => void;
  readonly #onRejected: ((item: T, error: unknown) => unknown) | undefined;
  readonly #flow: LaneFlow | undefined;
  readonly #waiting = new FifoQueue<T>();
  /**
   * Runs that returned a promise not settled yet, in the order they started; one record per run,
   * not per item: a caller may push one object twice, and each push is a run of its own.
   */
  readonly #pending = new PendingRuns<T>();
  /** The deadline of pending runs; none without a {@link LaneDeadline} or with an infinite one. */
  readonly #sweep: HungRunSweep<T> | undefined;
  readonly #onTimeout: LaneDeadline<T>['onTimeout'] | undefined;
  #running = 0;
  /** Items pushed so far: the next item's arrival number. */
  #arrived = 0;
  /**
   * Items started (or dropped by `abandon`) so far: items start in the order they arrived, so
   * this is the arrival number of the next waiting one.
   */
  #started = 0;
  #draining = false;
  #paused = false;
  #idle: Array<() => void> = [];

  /**
   * @param policy - sequential, or concurrent with a limit
   * @param run - runs one item; returns `undefined` when it finished synchronously
   * @param onThrow - receives what a run threw; runs are meant to isolate their own failures, so
   *   this only sees a bug, which must still not stall the lane or reach the socket
   * @param flow - high- and low-water marks and whom to tell; none: the lane holds what it is given
   * @param onRejected - receives an item whose run rejected, and what with; the item's slot frees
   *   once what it returns has settled. Without it, a rejection is a bug for `onThrow`
   * @param deadline - how long a run may stay unsettled before its slot frees; none: no limit
   */
  public constructor(
    policy: DispatchPolicy,
    run: (item: T) => Completion,
    onThrow: (error: unknown) => void,
    flow?: LaneFlow,
    onRejected?: (item: T, error: unknown) => unknown,
    deadline?: LaneDeadline<T>,
  ) {
    this.#run = run;
    this.#onThrow = onThrow;
    this.#onRejected = onRejected;
    this.#flow = flow;
    this.#limit = concurrencyOf(policy);
    if (deadline !== undefined && deadline.timeoutMs !== Number.POSITIVE_INFINITY) {
      this.#onTimeout = deadline.onTimeout;
      this.#sweep = new HungRunSweep(deadline.timeoutMs, this.#pending, (runs, now) =>
        this.#expired(runs, now),
      );
    }
  }

  /** Items running plus items waiting. */
  public get load(): number {
    return this.#running + this.#waiting.length;
  }

  /**
   * The item that arrived first of those not finished (running, or waiting to start), if any.
   * Items start in the order they arrived and the pending runs are listed in the order they
   * started, so it is the oldest pending run, else the next waiting item: every item that arrived
   * before it has finished. Read on demand (a heartbeat, a session write), so finishing an item
   * costs nothing more. A run the deadline or {@link ShardLane.abandon} gave up on counts as
   * finished.
   */
  public oldestUnfinished(): T | undefined {
    const run = this.#pending.oldest;
    return run === undefined ? this.#waiting.peek() : run.item;
  }

  /** How many items were pushed so far: the last one pushed has arrival number `arrivals - 1`. */
  public get arrivals(): number {
    return this.#arrived;
  }

  /**
   * The arrival number (see {@link ShardLane.arrivals}) of {@link ShardLane.oldestUnfinished}, or
   * `undefined` when every item has finished: every item that arrived before it has finished.
   */
  public oldestUnfinishedArrival(): number | undefined {
    const run = this.#pending.oldest;
    if (run !== undefined) return run.arrival;
    return this.#waiting.length === 0 ? undefined : this.#started;
  }

  /** Whether the lane has asked its source to stop (it is above its high-water mark). */
  public get paused(): boolean {
    return this.#paused;
  }

  /**
   * Tells the source to stop again when the lane is paused: its source was replaced (a shard
   * shut down and started again), and the new one has not been told. Does nothing otherwise.
   */
  public repause(): void {
    const flow = this.#flow;
    if (flow !== undefined && this.#paused) this.#tell(flow.pause);
  }

  /** Queues `item`; it starts as soon as the policy allows, possibly before `push` returns. */
  public push(item: T): void {
    this.#arrived += 1;
    // The common case, a lane keeping up, runs the item at once with no queue in between.
    if (!this.#draining && this.#running < this.#limit && this.#waiting.length === 0) {
      this.#drain(item);
    } else {
      this.#waiting.push(item);
      this.#drain();
    }
    const flow = this.#flow;
    if (flow !== undefined && !this.#paused && this.load >= flow.highWaterMark) {
      this.#paused = true;
      this.#tell(flow.pause);
    }
  }

  /** Resolves once every queued and running item has finished. */
  public onIdle(): Promise<void> {
    if (this.load === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Gives up on what the lane holds: the waiting items are dropped and will not run; the running
   * ones cannot be stopped and finish on their own, no longer counted or waited for. The lane is
   * idle afterwards (its idle waiters are released) and takes new items as before; a lane that had
   * paused its source resumes it, since no item is left whose end would.
   *
   * @returns the items still running (in the order they started) and those that never started
   */
  public abandon(): { running: T[]; waiting: T[] } {
    // Unwaited from now on: the lane counts them no more, and their end changes nothing.
    this.#running -= this.#pending.size;
    const running = this.#pending.clear();
    this.#sweep?.stop();
    const waiting: T[] = [];
    for (let item = this.#waiting.shift(); item !== undefined; item = this.#waiting.shift())
      waiting.push(item);
    this.#started = this.#arrived;
    // Left paused, the source (and any shard started again on this lane) would never read again.
    if (this.#paused) this.#resumeIfLow();
    this.#wakeIdle();
    return { running, waiting };
  }

  #drain(first?: T): void {
    // A run may dispatch another event synchronously; the loop below picks it up, in order.
    if (this.#draining) return;
    this.#draining = true;
    if (first !== undefined) this.#start(first);
    while (this.#running < this.#limit && this.#waiting.length > 0) this.#start(this.#waiting.shift()!);
    this.#draining = false;
    if (this.#paused) this.#resumeIfLow();
    if (this.load === 0) this.#wakeIdle();
  }

  /** Runs one item; never throws, so the loop above always finishes. */
  #start(item: T): void {
    const arrival = this.#started;
    this.#started += 1;
    this.#running += 1;
    let pending: Completion;
    try {
      pending = this.#run(item);
    } catch (error) {
      this.#report(error);
      pending = undefined;
    }
    if (pending === undefined) {
      this.#running -= 1;
      return;
    }
    this.#watch(item, arrival, pending);
  }

  /**
   * Waits for a run that returned a promise. Apart from #start, which every item goes through: a
   * function that makes closures allocates the variables they capture on each call, even on the
   * path that makes none.
   */
  #watch(item: T, arrival: number, pending: Promise<void>): void {
    // The start time only when a deadline needs it, on the steady clock (a wall clock stepped
    // forward would give up on the run early), and read once per synchronous run
    // (steadyArrivalTime): the events started in one run share it, where a read of each one's own
    // would cost each `async` event about 45 ns. It is at most one synchronous stretch early, so a
    // deadline of seconds passes as good as on time.
    const sweep = this.#sweep;
    const run = this.#pending.add(item, sweep === undefined ? 0 : steadyArrivalTime(), arrival);
    sweep?.watch();
    pending.then(
      () => this.#settled(run),
      (error: unknown) => this.#rejected(run, error),
    );
  }

  /** A run rejected: `onRejected` is told, and the slot frees once it has finished. */
  #rejected(run: PendingRun<T>, error: unknown): void {
    const onRejected = this.#onRejected;
    let answered: unknown;
    try {
      if (onRejected === undefined) this.#report(error);
      else answered = onRejected(run.item, error);
    } catch (thrown) {
      this.#report(thrown);
    }
    if (!isThenable(answered)) {
      this.#settled(run);
      return;
    }
    Promise.resolve(answered).then(
      () => this.#settled(run),
      (thrown: unknown) => {
        this.#report(thrown);
        this.#settled(run);
      },
    );
  }

  #settled(run: PendingRun<T>): void {
    // A run the deadline or a shutdown gave up on is no longer listed: its slot was freed then.
    if (this.#pending.remove(run)) {
      this.#running -= 1;
      if (this.#pending.size === 0) this.#sweep?.stop();
    }
    this.#drain();
  }

  /**
   * Runs past the deadline, already taken out of the pending ones: slots freed, each reported with
   * how long it ran in whole milliseconds (the steady clock reads fractions).
   */
  #expired(runs: ReadonlyArray<PendingRun<T>>, now: number): void {
    this.#running -= runs.length;
    for (const run of runs) {
      try {
        this.#onTimeout!(run.item, Math.round(now - run.startedAt));
      } catch (error) {
        this.#report(error);
      }
    }
    this.#drain();
  }

  #resumeIfLow(): void {
    const flow = this.#flow;
    if (flow === undefined || this.load > flow.lowWaterMark) return;
    this.#paused = false;
    this.#tell(flow.resume);
  }

  /** Calls the source's `pause` or `resume`; a failure there is a bug, reported like a run's. */
  #tell(signal: () => void): void {
    try {
      signal.call(this.#flow);
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    try {
      this.#onThrow(error);
    } catch {
      // The reporter failed too (a logger that throws): nothing is left to tell, and the lane
      // must go on regardless.
    }
  }

  #wakeIdle(): void {
    if (this.#idle.length === 0) return;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }
}
