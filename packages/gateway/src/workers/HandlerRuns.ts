import { steadyNow } from '@bot/core';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';

/** One dispatch handed to the handler, in the order of its shard. */
interface Run {
  seq: number | undefined;
  done: boolean;
}

/** A run that returned a promise: its shard's runs, its event and when it started, for its deadline. */
interface RunningRun extends Run {
  shard: ShardRuns;
  payload: DispatchPayload;
  startedAt: number;
}

/** The runs of one shard, oldest first (`head` is the first not yet taken off). */
interface ShardRuns {
  /** The shard's id; a negative key once retired (its shard closed, or began another session, while they ran). */
  key: number;
  /** The shard's id, for reports. */
  id: number;
  runs: Run[];
  head: number;
  /** Set on the runs of an earlier session of shard `id`: `idle(id)` still waits for them. */
  oldSessionOf?: number;
}

/** What {@link HandlerRuns} tells its owner. */
export interface HandlerRunsEvents {
  /** Stops (`true`) or restarts (`false`) the shards' reading. */
  onHold(held: boolean): void;
  /** Every event of shard `id` up to `seq` is handled. */
  onProgress(id: number, seq: number): void;
  /** A run of shard `id` did not settle within the deadline: it now counts as done. */
  onTimeout(id: number, payload: DispatchPayload, ranMs: number): void;
}

/**
 * The dispatches a worker thread's handler has been handed, per shard, until every earlier one of
 * the shard is done too: how far each shard's events are handled, in its order, so a thread that
 * crashes is resumed from its oldest handling not finished (at least once), never past it.
 *
 * Handlings that return no promise are done at once and, with nothing of the shard running, cost
 * one call. Progress is told only within the shard's current session: the runs of an earlier one
 * (still running when the shard identified anew) are kept apart, counted, not told, and do not
 * hold the new session's progress back. While `max` runs are held
 * (running, or done behind one still running), reading stops until half of them are taken off, so
 * slow handlers cannot pile up events without bound. A run still going after `timeoutMs` counts as
 * done (and is reported), so one that never settles cannot hold its shard's resume point, or the
 * thread's reading, for ever; one timer, for the oldest run, serves them all.
 */
export class HandlerRuns {
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #events: HandlerRunsEvents;
  readonly #shards = new Map<number, ShardRuns>();
  readonly #idle = new Map<number, Array<() => void>>();
  /** Per shard id, its earlier sessions' runs still held (retired by a new session). */
  readonly #oldSessions = new Map<number, number>();
  /** Runs that returned a promise, in the order they started (with a deadline); done ones leave from the front. */
  #running: RunningRun[] = [];
  #runningHead = 0;
  #sweep: NodeJS.Timeout | undefined;
  #total = 0;
  #held = false;
  #retired = 0;

  /**
   * @param max - runs held at which reading stops
   * @param timeoutMs - how long a run may go unsettled before it counts as done (`Infinity`: no limit)
   * @param events - whom to tell
   */
  public constructor(max: number, timeoutMs: number, events: HandlerRunsEvents) {
    this.#max = max;
    this.#timeoutMs = timeoutMs;
    this.#events = events;
  }

  /** Whether reading is stopped until handlers catch up. */
  public get held(): boolean {
    return this.#held;
  }

  /** A handling of shard `id` finished as it was handed (no promise). */
  public finished(id: number, seq: number | undefined): void {
    const shard = this.#shards.get(id);
    if (shard === undefined) {
      if (seq !== undefined) this.#events.onProgress(id, seq);
      return;
    }
    this.#add(shard, { seq, done: true });
  }

  /**
   * The handling of `payload`, of shard `id`, runs until `running` settles (either way: failures
   * are the caller's to report); once it and those before it are done, the session is handled up
   * to `seq`.
   *
   * @param seq - what its end moves the resume point to: the dispatch's seq when the shard took
   *   it, `undefined` when it did not (far ahead, or not a seq). Required: a default read from
   *   the payload would take the seq of a dispatch the shard did not take, as `undefined` passed
   *   for a parameter with a default is the default
   */
  public track(
    id: number,
    payload: DispatchPayload,
    running: PromiseLike<unknown>,
    seq: number | undefined,
  ): void {
    let shard = this.#shards.get(id);
    if (shard === undefined) {
      shard = { key: id, id, runs: [], head: 0 };
      this.#shards.set(id, shard);
    }
    const run: RunningRun = { shard, payload, seq, done: false, startedAt: steadyNow() };
    this.#add(shard, run);
    // Only the deadline's sweep reads (and empties) this list: without a deadline it would keep
    // every event handled for the thread's life.
    if (Number.isFinite(this.#timeoutMs)) {
      this.#running.push(run);
      if (this.#sweep === undefined) this.#armSweep(this.#timeoutMs);
    }
    const settled = (): void => this.#settle(run);
    Promise.resolve(running).then(settled, settled);
  }

  /**
   * Shard `id` began another session: the runs still held are of the old one, whose sequence
   * numbers no resume can use. They are kept apart as a closed shard's are (see
   * {@link HandlerRuns.retire}), so the new session's progress is told as its own handlings finish:
   * held back behind an old run (up to its deadline), a crash meanwhile would hand again every
   * event of the new session already handled. {@link HandlerRuns.idle} still waits for them, so
   * closing the shard gives them the same grace.
   */
  public newSession(id: number): void {
    const shard = this.#moveAside(id);
    if (shard === undefined) return;
    shard.oldSessionOf = id;
    this.#oldSessions.set(id, (this.#oldSessions.get(id) ?? 0) + 1);
  }

  /**
   * Shard `id` is closed: its runs still going (past the close's grace) are kept apart, still
   * bounded and timed, telling nothing more, so a shard started again with the same id neither
   * waits behind them nor has its progress held back by them.
   */
  public retire(id: number): void {
    this.#moveAside(id);
    if (this.#oldSessions.delete(id)) {
      for (const shard of this.#shards.values()) if (shard.oldSessionOf === id) delete shard.oldSessionOf;
    }
    this.#resolveIdle(id);
  }

  /**
   * Resolves once shard `id` has no handling left running, of its current session or of an
   * earlier one; at once after the shard is closed ({@link HandlerRuns.retire}).
   */
  public idle(id: number): Promise<void> {
    if (this.#isIdle(id)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiting = this.#idle.get(id);
      if (waiting === undefined) this.#idle.set(id, [resolve]);
      else waiting.push(resolve);
    });
  }

  /** Stops the deadline timer (the thread is ending). */
  public stop(): void {
    clearTimeout(this.#sweep);
    this.#sweep = undefined;
  }

  /** Keeps the held runs of shard `id` apart under a negative key, telling nothing more. */
  #moveAside(id: number): ShardRuns | undefined {
    const shard = this.#shards.get(id);
    if (shard === undefined) return undefined;
    this.#shards.delete(id);
    shard.key = -++this.#retired;
    this.#shards.set(shard.key, shard);
    return shard;
  }

  #isIdle(id: number): boolean {
    return !this.#shards.has(id) && !this.#oldSessions.has(id);
  }

  #add(shard: ShardRuns, run: Run): void {
    shard.runs.push(run);
    this.#total += 1;
    if (!this.#held && this.#total >= this.#max) {
      this.#held = true;
      this.#events.onHold(true);
    }
  }

  #settle(run: RunningRun): void {
    if (run.done) return; // timed out before
    run.done = true;
    this.#takeDone(run.shard.key);
  }

  #armSweep(delayMs: number): void {
    // A run the sweep times out may release reading, whose replayed frames track new runs (and
    // arm the timer) before the sweep arms it again: one timer, whoever armed it last.
    clearTimeout(this.#sweep);
    this.#sweep = setTimeout(() => this.#sweepTimedOut(), Math.max(1, Math.ceil(delayMs)));
    this.#sweep.unref();
  }

  /** Counts the runs past their deadline as done, oldest first, and sets the timer for the next. */
  #sweepTimedOut(): void {
    this.#sweep = undefined;
    const now = steadyNow();
    for (;;) {
      const run = this.#oldestRunning();
      if (run === undefined) return;
      const ranMs = now - run.startedAt;
      if (ranMs < this.#timeoutMs) {
        this.#armSweep(this.#timeoutMs - ranMs);
        return;
      }
      run.done = true;
      this.#events.onTimeout(run.shard.id, run.payload, ranMs);
      this.#takeDone(run.shard.key);
    }
  }

  /** The oldest run still going, dropping the done ones in front of it. */
  #oldestRunning(): RunningRun | undefined {
    while (this.#runningHead < this.#running.length && this.#running[this.#runningHead]?.done === true) {
      this.#runningHead += 1;
    }
    if (this.#runningHead === this.#running.length) {
      this.#running = [];
      this.#runningHead = 0;
      return undefined;
    }
    if (this.#runningHead > 1_024 && this.#runningHead * 2 > this.#running.length) {
      this.#running = this.#running.slice(this.#runningHead);
      this.#runningHead = 0;
    }
    return this.#running[this.#runningHead];
  }

  /** Takes the shard's oldest runs off while they are done, and tells how far it is handled. */
  #takeDone(key: number): void {
    const shard = this.#shards.get(key);
    if (shard === undefined) return;
    let seq: number | undefined;
    for (let run = shard.runs[shard.head]; run?.done === true; run = shard.runs[shard.head]) {
      seq = run.seq ?? seq;
      shard.head += 1;
      this.#total -= 1;
    }
    if (shard.head === shard.runs.length) {
      this.#shards.delete(key);
      if (shard.oldSessionOf !== undefined) this.#oldSessionDone(shard.oldSessionOf);
      if (key >= 0 && this.#isIdle(key)) this.#resolveIdle(key);
    } else if (shard.head > 1_024 && shard.head * 2 > shard.runs.length) {
      shard.runs = shard.runs.slice(shard.head);
      shard.head = 0;
    }
    if (seq !== undefined && key >= 0) this.#events.onProgress(key, seq);
    if (this.#held && this.#total <= this.#max / 2) {
      this.#held = false;
      this.#events.onHold(false);
    }
    if (this.#sweep !== undefined && this.#oldestRunning() === undefined) this.stop();
  }

  #oldSessionDone(id: number): void {
    const left = (this.#oldSessions.get(id) ?? 1) - 1;
    if (left > 0) {
      this.#oldSessions.set(id, left);
      return;
    }
    this.#oldSessions.delete(id);
    if (this.#isIdle(id)) this.#resolveIdle(id);
  }

  #resolveIdle(id: number): void {
    const waiting = this.#idle.get(id);
    this.#idle.delete(id);
    for (const resolve of waiting ?? []) resolve();
  }
}
