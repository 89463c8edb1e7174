import type PQueue from 'p-queue';
import {
  AbortFanout,
  DeadlineExceededError,
  Deferred,
  type OptionalSignal,
  requireDuration,
  requireInteger,
  sleep,
  sleepUnlessAborted,
  steadyNow,
} from '@bot/core';
import { ClientDestroyedError } from '../../errors/ClientDestroyedError.js';
import type { QueuedFor } from '../../errors/TimeSpent.js';
import { PauseTooLongError } from './PauseTooLongError.js';
import { takeTurn } from './queueTurn.js';
import { routeTurns, turnAt, walkQueue } from './queueTurns.js';
import { QueueFullError } from './QueueFullError.js';
import { QueueTooDeepError } from './QueueTooDeepError.js';
import { TurnExpiredError } from './TurnExpiredError.js';
import { ConnectionQueueFullError } from '../../errors/ConnectionQueueFullError.js';
import { UnsentDeadlineError } from '../UnsentDeadlineError.js';
import type { RateLimitOptions } from './RateLimitOptions.js';
import {
  ANSWER_MS_CAP,
  RouteQueues,
  type RouteQueue,
  type RunningSlot,
  type WaitingTurn,
} from './RouteQueues.js';

/** The hold of a slot after its answer lets the process exit (see `#runQueued`). */
const UNREF = { unref: true } as const;
/** Tasks that may wait per route key unless `maxQueued` says otherwise. */
const DEFAULT_MAX_QUEUED = 1_000;
/**
 * Endpoints whose answer times are kept: callers passing filled paths make one template per
 * channel, so the oldest is dropped past this (the cap of compiled routes).
 */
const MAX_ANSWER_TEMPLATES = 512;
/** An answer counts as at most this many times the current average: one stray answer moves it little. */
const ANSWER_OUTLIER_FACTOR = 3;
/** ...and as at least this much, so that an average near 0 ms can still rise to slower answers. */
const ANSWER_OUTLIER_FLOOR_MS = 1_000;

/**
 * One `p-queue` per route key. Queues hold the platform's windows (5 messages per channel in any
 * second by default: a send keeps its slot for a second after its answer), the pauses the platform
 * asked for, and a concurrency cap (a gate of its own beside a window, which counts held slots
 * too). A task's slot is released however the task ends (resolved, rejected, aborted, timed out),
 * once its window after the answer has passed (at once on `destroy()`), and a task aborted while
 * still queued is removed from its queue. A route with neither a window nor a cap (most reads) has
 * nothing to queue for: its tasks only wait out the pauses, and skip the queue's bookkeeping.
 *
 * Every wait is bounded: at most `maxQueued` tasks wait per route key (more are refused at once
 * with a {@link QueueFullError}), each of them by the task's deadline (a pause that would outlast
 * it fails the task at once with a {@link PauseTooLongError}, and so does a queue whose window
 * cannot reach it in time, with a {@link QueueTooDeepError}; a queue wait that reaches it fails
 * with a {@link TurnExpiredError}), by the task's signal, and by
 * {@link RateLimitManager.destroy}.
 */
export class RateLimitManager {
  readonly #queues: RouteQueues;
  readonly #maxQueued: number;
  /** Aborted by `destroy()`: every waiting task rejects with its reason. */
  readonly #closed = new AbortController();
  /** The one listener on `#closed` that every waiting task shares. */
  readonly #waits = new AbortFanout(this.#closed.signal);
  /**
   * How long the sends of each windowed endpoint (`template`) take, from going out to their answer,
   * as a moving average (see `#answered`): the estimate of answer times for refusals (see
   * `#tooDeep`). Kept per template, not per route key, so that it outlives idle route keys; at
   * most {@link MAX_ANSWER_TEMPLATES} of them, the least recently answered dropped first.
   */
  readonly #answerMs = new Map<string, number>();
  /** When every route may send again after a global limit, on the steady clock (`steadyNow`). */
  #globalPausedUntil = 0;
  #globalPauseCode = 429;

  /**
   * @param options - windows, concurrency and queue bound; see {@link RateLimitOptions}
   * @throws {@link ValidationError} naming the option: a `messagesPerSecond`, `maxQueued` or window
   *   `limit` that is not a positive integer, a window `interval` that is not a positive duration,
   *   a `concurrency` that is neither a positive integer nor `Infinity`
   */
  public constructor(options: RateLimitOptions = {}) {
    const { concurrency = Number.POSITIVE_INFINITY, routes } = options;
    for (const [template, window] of Object.entries(routes ?? {})) {
      requireInteger(window.limit, `rateLimits.routes['${template}'].limit`, 1);
      requireDuration(window.interval, `rateLimits.routes['${template}'].interval`);
    }
    this.#queues = new RouteQueues({
      messagesPerSecond: requireInteger(options.messagesPerSecond ?? 5, 'rateLimits.messagesPerSecond', 1),
      concurrency:
        concurrency === Number.POSITIVE_INFINITY
          ? concurrency
          : requireInteger(concurrency, 'rateLimits.concurrency', 1),
      messagesPerSecondGiven: options.messagesPerSecond !== undefined,
      routes,
    });
    this.#maxQueued =
      options.maxQueued === undefined
        ? DEFAULT_MAX_QUEUED
        : requireInteger(options.maxQueued, 'rateLimits.maxQueued', 1);
  }

  /** Requests waiting in a queue (not yet sent), across all routes. */
  public get queued(): number {
    return this.#queues.queued;
  }

  /** Aborted by {@link RateLimitManager.destroy}, with its reason. */
  public get closing(): AbortSignal {
    return this.#closed.signal;
  }

  /**
   * Number of routes currently kept: those with a task not over (waiting, running, or holding its
   * slot for its window after the answer) and the paused ones.
   */
  public get size(): number {
    return this.#queues.size;
  }

  /**
   * Runs `task` in the queue of `key` once its window, the route pause and the global pause allow.
   *
   * @param key - route key (`METHOD template:majorId`)
   * @param template - `METHOD template`, which selects the window
   * @param task - the request; it must settle on its own (timeout) or through `signal`. It may tell
   *   `onSocket` when it got its connection (on the steady clock), before it settles: its answer
   *   time is then counted from there, not from its turn, leaving out a wait for a free connection
   * @param signal - removes a waiting task from its queue, or interrupts a pause
   * @param deadline - when the task must have started by, on the steady clock (`steadyNow`); no
   *   limit by default
   * @throws {@link QueueFullError} at once when `maxQueued` tasks already wait on the route,
   *   {@link QueueTooDeepError} at once when its turn by the estimate, behind the tasks ahead and
   *   paced by the route's window and the endpoint's answer times (see {@link walkQueue}), comes
   *   at or after `deadline`, {@link PauseTooLongError} when a pause lasts past
   *   `deadline`, {@link TurnExpiredError} when the queue holds the task until `deadline`, the signal's reason when it aborts, and the
   *   reason given to {@link RateLimitManager.destroy} once destroyed
   */
  public schedule<T>(
    key: string,
    template: string,
    task: (onSocket: (at: number) => void) => Promise<T>,
    signal?: AbortSignal,
    deadline: number = Number.POSITIVE_INFINITY,
  ): Promise<T> {
    if (this.#closed.signal.aborted) return Promise.reject(this.#closed.signal.reason);
    const entry = this.#queues.queueFor(key, template);
    if (entry.queue === undefined) return this.#runUnqueued(entry, task, signal, deadline);
    if (entry.queue.size >= this.#maxQueued) return Promise.reject(new QueueFullError(this.#maxQueued));
    const tooDeep = this.#tooDeep(entry, entry.queue, deadline, template);
    if (tooDeep !== undefined) return Promise.reject(tooDeep);
    return this.#runQueued(entry, entry.queue, task, signal, deadline, template);
  }

  /**
   * The fast path of {@link RateLimitManager.schedule}, taken when a task has nothing to wait for:
   * its route has neither a window nor a cap (most reads), neither the route nor every route is
   * paused, and the manager is not destroyed. It admits a task only when `schedule` would start it
   * at once, never past a window, a cap or a pause (a route with a free window goes through
   * `schedule`), and lets the caller start it itself, without the promise and closure of a
   * scheduled task.
   *
   * @param key - route key (`METHOD template:majorId`)
   * @param template - `METHOD template`, which selects the window
   * @returns the route's entry, counted as running until handed to
   *   {@link RateLimitManager.release} however the task ends; `undefined` when the task must go
   *   through `schedule` (it waits, or is refused, there)
   */
  public admit(key: string, template: string): RouteQueue | undefined {
    if (this.#closed.signal.aborted) return undefined;
    const entry = this.#queues.queueFor(key, template);
    if (entry.queue !== undefined || this.#pauseLeft(entry) > 0) return undefined;
    entry.tasks += 1;
    return entry;
  }

  /**
   * Ends a task started by {@link RateLimitManager.admit}: the route counts it no more, and is
   * idle from now on if nothing else runs on it.
   *
   * @param entry - what `admit` returned
   */
  public release(entry: RouteQueue): void {
    this.#queues.taskOver(entry);
  }

  /**
   * Holds every route until `ms` from now (a limit the platform marked global). Later pauses
   * extend earlier ones, never shorten them. The caller bounds `ms`.
   *
   * @param ms - how long, in milliseconds
   * @param code - the platform code behind the pause, reported to tasks that cannot wait it out
   */
  public pauseGlobal(ms: number, code = 429): void {
    const until = steadyNow() + ms;
    if (until > this.#globalPausedUntil) {
      this.#globalPausedUntil = until;
      this.#globalPauseCode = code;
    }
  }

  /**
   * Holds one route key until `ms` from now (a 429 or code `22009` on that route). The caller
   * bounds `ms`. Once destroyed, does nothing.
   *
   * @param key - route key
   * @param ms - how long, in milliseconds
   * @param code - the platform code behind the pause, reported to tasks that cannot wait it out
   */
  public pauseRoute(key: string, ms: number, code = 429): void {
    // After destroy() no task can wait for it, and an entry would restart the stopped sweeper.
    if (this.#closed.signal.aborted) return;
    const entry = this.#queues.toPause(key);
    const until = steadyNow() + ms;
    if (until > entry.pausedUntil) {
      entry.pausedUntil = until;
      entry.pauseCode = code;
    }
  }

  /**
   * Stops the sweeper of paused routes and fails every task still waiting (for its queue or a pause) at
   * once with `reason`; later tasks fail with it too. Tasks already running finish on their own.
   *
   * @param reason - what the waiting tasks reject with
   */
  public destroy(reason: Error = new ClientDestroyedError(undefined, undefined)): void {
    this.#queues.stopSweeper();
    if (!this.#closed.signal.aborted) this.#closed.abort(reason);
  }

  async #runQueued<T>(
    entry: RouteQueue,
    queue: PQueue,
    task: (onSocket: (at: number) => void) => Promise<T>,
    signal: AbortSignal | undefined,
    deadline: number,
    template: string,
  ): Promise<T> {
    // The caller has the task's outcome at once; its slot stays taken for the route's window.
    const outcome = new Deferred<T>();
    entry.tasks += 1;
    // Kept while it waits for its turn, for the refusal of later tasks (see `#tooDeep`).
    const turn: WaitingTurn = { deadline };
    const waiting = (entry.waiting ??= new Set());
    waiting.add(turn);
    const slot = takeTurn(
      queue,
      async () => {
        waiting.delete(turn);
        let sent = false;
        // The slot's state, for the turns of later tasks (see `#tooDeep`).
        const running: RunningSlot = { since: steadyNow() };
        entry.running.add(running);
        const send = async (): Promise<T> => {
          // Checked at the last moment: a pause the send before this one met holds this one too.
          await this.#waitForPauses(entry, signal, deadline);
          sent = true;
          running.since = steadyNow();
          let answered = true;
          try {
            // The answer is timed from when the send got its connection, when it tells it.
            return await task((at) => (running.since = at));
          } catch (error) {
            // One that never left the client (its turn came as its time ran out) has no answer time.
            answered = !(error instanceof UnsentDeadlineError || error instanceof ConnectionQueueFullError);
            // Refused before the connection pool took it: nothing went out to keep a place for.
            if (error instanceof ConnectionQueueFullError) sent = false;
            throw error;
          } finally {
            // A send its caller cut off tells nothing of how fast the endpoint answers.
            if (answered && !signal?.aborted) this.#answered(template, steadyNow() - running.since);
          }
        };
        try {
          const capped = entry.inFlight;
          outcome.resolve(await (capped ? takeTurn(capped, send, signal, deadline, this.#waits) : send()));
        } catch (error) {
          // Unsent, a deadline error can only come from the wait for the concurrency cap.
          const capWait = !sent && error instanceof DeadlineExceededError;
          outcome.reject(capWait ? new TurnExpiredError(error.ms, 'concurrency') : error);
          if (!sent) return; // nothing went out (it gave up waiting, or a pause outlasts it): no hold
        } finally {
          entry.running.delete(running);
        }
        // Sent, failed or refused, it may have arrived: it counts until a window after its answer.
        // The hold alone keeps no process alive: a send waiting for the slot has its own deadline.
        if (entry.holdMs > 0) {
          const end = steadyNow() + entry.holdMs;
          entry.holdEnds.push(end);
          try {
            await this.#waits.within((closing) => sleepUnlessAborted(entry.holdMs, closing, UNREF));
          } finally {
            entry.holdEnds.splice(entry.holdEnds.indexOf(end), 1);
          }
        }
      },
      signal,
      deadline,
      this.#waits,
    );
    // Settles once the task is over, its hold included; rejects only when the task never ran:
    // taken off the queue before its turn.
    slot.then(
      () => this.#queues.taskOver(entry),
      (error: unknown) => {
        waiting.delete(turn);
        outcome.reject(
          error instanceof DeadlineExceededError
            ? new TurnExpiredError(error.ms, this.#heldBy(entry))
            : error,
        );
        this.#queues.taskOver(entry);
      },
    );
    return outcome.promise;
  }

  /**
   * Takes a send of `template` answered after `ms` into the estimate of its answers: a moving
   * average giving each new answer a quarter of the weight (the first one all of it), each answer
   * counted as at most {@link ANSWER_MS_CAP} and at most {@link ANSWER_OUTLIER_FACTOR} times the
   * average (or {@link ANSWER_OUTLIER_FLOOR_MS}), so that one stray answer moves it only a little
   * (30 s after answers of 900 ms: to 1350 ms, not 3175 ms). A send that never left the client
   * has no answer time.
   */
  #answered(template: string, ms: number): void {
    const before = this.#answerMs.get(template);
    const cap =
      before === undefined
        ? ANSWER_MS_CAP
        : Math.min(ANSWER_MS_CAP, Math.max(ANSWER_OUTLIER_FLOOR_MS, ANSWER_OUTLIER_FACTOR * before));
    const answer = Math.min(cap, ms);
    // Re-inserted, so that the map's order is the order of last answers: the first one is dropped.
    this.#answerMs.delete(template);
    this.#answerMs.set(template, before === undefined ? answer : before + (answer - before) / 4);
    if (this.#answerMs.size > MAX_ANSWER_TEMPLATES)
      this.#answerMs.delete(this.#answerMs.keys().next().value as string);
  }

  /** Endpoints whose answer times are kept (at most 512), for tests of the bound. */
  public get answerTemplates(): number {
    return this.#answerMs.size;
  }

  /**
   * The refusal of a task that the route's window cannot reach before `deadline`, or `undefined`:
   * its turn by the estimate (see {@link walkQueue}) comes at or after `deadline` behind at least
   * one task ahead that takes a turn before it, after any pause the tasks ahead must wait out
   * first. Every send is assumed answered in the moving average of the answer times of the same
   * endpoint (`template`, any route key; at once before any answer), so a refused task may have
   * been sent when answers come slower or faster than that (see {@link walkQueue}). Cheap when the turn comes in time even if every task ahead takes
   * one (the slots' state, a few readings, no walk); the tasks ahead are read only otherwise, at
   * most the queue's bound of them, each once.
   */
  #tooDeep(
    entry: RouteQueue,
    queue: PQueue,
    deadline: number,
    template: string,
  ): QueueTooDeepError | undefined {
    if (entry.holdMs === 0 || deadline === Number.POSITIVE_INFINITY) return undefined;
    const now = steadyNow();
    const pausedUntil = Math.max(this.#globalPausedUntil, entry.pausedUntil);
    const answerMs = this.#answerMs.get(template);
    const turns = routeTurns(entry, queue.concurrency, now, pausedUntil, answerMs ?? 0);
    const ahead = entry.waiting ?? [];
    if (turnAt(turns, entry.waiting?.size ?? 0) < deadline) return undefined;
    const { turn, taken } = walkQueue(turns, ahead, deadline);
    // With no task ahead taking a turn, the pause and the slots' holds are left to their own
    // checks: a pause outlasting the deadline fails at once (`PauseTooLongError`), a hold at it.
    if (turn < deadline || taken === 0) return undefined;
    return new QueueTooDeepError(Math.ceil(turn - now), Math.ceil(Math.max(0, pausedUntil - now)), {
      depth: taken,
      limit: queue.concurrency,
      intervalMs: entry.holdMs,
      answerMs,
      windowOf: entry.windowOf,
    });
  }

  /** What holds the queue of `entry` now: a pause of every route or of the route, its window, its cap. */
  #heldBy(entry: RouteQueue): QueuedFor {
    const now = steadyNow();
    if (this.#globalPausedUntil > now && this.#globalPausedUntil >= entry.pausedUntil) return 'global';
    if (entry.pausedUntil > now) return 'pause';
    return entry.holdMs > 0 ? 'pace' : 'concurrency';
  }

  async #runUnqueued<T>(
    entry: RouteQueue,
    task: (onSocket: (at: number) => void) => Promise<T>,
    signal: AbortSignal | undefined,
    deadline: number,
  ): Promise<T> {
    entry.tasks += 1;
    try {
      if (this.#pauseLeft(entry) > 0) await this.#waitOutPauseUnqueued(entry, signal, deadline);
      // Unwindowed: no answer time is kept for it.
      return await task(() => undefined);
    } finally {
      this.#queues.taskOver(entry);
    }
  }

  /** Waits out the pauses of a route without a queue, as one of at most `maxQueued` waiters. */
  async #waitOutPauseUnqueued(entry: RouteQueue, signal: OptionalSignal, deadline: number): Promise<void> {
    if (entry.pauseWaiters >= this.#maxQueued) throw new QueueFullError(this.#maxQueued);
    entry.pauseWaiters += 1;
    try {
      await this.#waitForPauses(entry, signal, deadline);
    } finally {
      entry.pauseWaiters -= 1;
    }
  }

  /** Milliseconds before `entry` may send: what is left of its route's pause and the global one. */
  #pauseLeft(entry: RouteQueue): number {
    return Math.max(this.#globalPausedUntil, entry.pausedUntil) - steadyNow();
  }

  async #waitForPauses(entry: RouteQueue, signal: OptionalSignal, deadline: number): Promise<void> {
    for (;;) {
      const wait = this.#pauseLeft(entry);
      if (wait <= 0) return;
      if (steadyNow() + wait > deadline) {
        const global = entry.pausedUntil < this.#globalPausedUntil;
        // Whole milliseconds for the caller's error: steady readings carry fractions.
        const code = global ? this.#globalPauseCode : entry.pauseCode;
        throw new PauseTooLongError(Math.ceil(wait), code, global);
      }
      await this.#waits.within((closing) => sleep(wait, signal, closing));
    }
  }
}
