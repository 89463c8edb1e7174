import PQueue from 'p-queue';
import { steadyNow } from '@bot/core';
import type { WindowOwner } from '../../errors/RateLimitedError.js';
import type { RateLimitOptions, RouteWindow } from './RateLimitOptions.js';

/**
 * What the rate limiter keeps per route key: its queue, its pause and its tasks. It is kept only
 * while a task of the route is not over or the route is paused (see {@link RouteQueues}).
 */
export interface RouteQueue {
  /** The route key it is kept under. */
  readonly key: string;
  /**
   * Whether the queue, hold and cap below were made for the route's template: not yet for an
   * entry made only to hold a pause (see {@link RouteQueues.toPause}).
   */
  shaped: boolean;
  /** `undefined` for a route with neither a window nor a concurrency cap: nothing to queue for. */
  queue: PQueue | undefined;
  /**
   * Milliseconds a send keeps its slot in `queue` after its answer: the route's window, or 0 for a
   * route with none (its queue only caps concurrency).
   */
  holdMs: number;
  /** Whose window `holdMs` and the queue's slots keep; see `QueuedBehind.windowOf`. */
  windowOf: WindowOwner;
  /**
   * The cap on sends in flight when it is below the window's limit: `queue` counts held slots
   * too, so the cap needs a gate of its own; `undefined` otherwise.
   */
  inFlight: PQueue | undefined;
  /**
   * Tasks of this route not over yet: waiting (for the queue, the cap or a pause), running, or
   * holding their slot past the answer. The entry is dropped when this falls to 0 unpaused.
   */
  tasks: number;
  /** Tasks of a route without a queue that wait out a pause, bounded by `maxQueued`. */
  pauseWaiters: number;
  /** When this route may send again after a rate limit on it, on the steady clock (`steadyNow`). */
  pausedUntil: number;
  /** Platform code of the rate limit behind the pause. */
  pauseCode: number;
  /**
   * The tasks waiting in `queue` for their turn, each until it starts or leaves; made on first
   * use. Read only to judge whether a new task can have its turn before its deadline.
   */
  waiting: Set<WaitingTurn> | undefined;
  /**
   * Slots of `queue` taken by a task not answered yet, each with when its send went out (the time
   * it took the slot while it still waits for a pause or the cap), on the steady clock.
   */
  running: Set<RunningSlot>;
  /** When each slot held after its task's answer frees, on the steady clock (`steadyNow`). */
  holdEnds: number[];
}

/** A slot taken by a task not answered yet: when its send went out, or the slot was taken. */
export interface RunningSlot {
  since: number;
}

/**
 * The longest answer time the estimate of a route's turns takes from one answer, in
 * milliseconds: one stuck answer should not make later refusals assume sends in flight longer.
 */
export const ANSWER_MS_CAP = 10_000;

/** A task waiting in its route's queue: when it leaves unsent unless its turn came. */
export interface WaitingTurn {
  /** When it gives up waiting, on the steady clock (`steadyNow`). */
  readonly deadline: number;
}

/** The limits every new route queue is made with. */
export interface RouteQueueLimits {
  /** Sends per second of the message routes (`POST …/messages`) without a window of their own. */
  readonly messagesPerSecond: number;
  /** Requests of one route key running at once; infinite for no cap. */
  readonly concurrency: number;
  /** Whether `messagesPerSecond` is the user's own figure rather than the platform's default. */
  readonly messagesPerSecondGiven: boolean;
  /** Windows by `METHOD template`; see {@link RateLimitOptions.routes}. */
  readonly routes: RateLimitOptions['routes'];
}

/** How often routes whose pause has ended with no task left are looked for and dropped. */
const SWEEP_INTERVAL = 60_000;
const MESSAGE_ROUTE = /^POST \/.*\/messages$/;
/** The platform's message window: `messagesPerSecond` counts sends per this many milliseconds. */
const MESSAGE_WINDOW_MS = 1000;

/**
 * The route queues of a rate limiter, by route key: each made on first use with its route's
 * window and concurrency cap. A key names a channel, a group or a C2C user, so a bot answering
 * many users makes many keys: an entry is kept only while it holds something. It is dropped as
 * soon as its last task is over (its slot's hold included: a new queue for the key then has every
 * slot free, as the old one had) unless the route is paused; a paused entry is dropped by a
 * sweeper, which runs only while entries are kept, once its pause has ended.
 */
export class RouteQueues {
  readonly #queues = new Map<string, RouteQueue>();
  readonly #limits: RouteQueueLimits;
  #sweeper: NodeJS.Timeout | undefined;

  /** @param limits - the window and cap of each new queue */
  public constructor(limits: RouteQueueLimits) {
    this.#limits = limits;
  }

  /** Requests waiting in a queue (not yet sent), across all routes. */
  public get queued(): number {
    let total = 0;
    for (const entry of this.#queues.values())
      total += (entry.queue?.size ?? 0) + (entry.inFlight?.size ?? 0);
    return total;
  }

  /** Number of route queues currently kept. */
  public get size(): number {
    return this.#queues.size;
  }

  /**
   * The queue of `key`, made for `template` when not kept yet.
   *
   * @param key - route key (`METHOD template:majorId`)
   * @param template - `METHOD template`, which selects the window
   */
  public queueFor(key: string, template: string): RouteQueue {
    const entry = this.#queues.get(key) ?? this.#add(key);
    if (!entry.shaped) {
      const window = this.#windowOf(template);
      const cap = this.#limits.concurrency;
      // A window's slots are its queue's, held past each answer; a cap below them gates sends apart.
      const slots = window === undefined ? cap : window.limit;
      entry.queue = Number.isFinite(slots) ? new PQueue({ concurrency: slots }) : undefined;
      entry.holdMs = window?.interval ?? 0;
      entry.windowOf = this.#windowOwner(template);
      entry.inFlight =
        window !== undefined && cap < window.limit ? new PQueue({ concurrency: cap }) : undefined;
      entry.shaped = true;
    }
    return entry;
  }

  /**
   * The entry of `key` to pause: the one kept, or a new one holding only the pause, which its
   * route's next task shapes (a pause the platform asked for holds whether or not the route had
   * anything kept).
   *
   * @param key - route key
   */
  public toPause(key: string): RouteQueue {
    return this.#queues.get(key) ?? this.#add(key);
  }

  /**
   * Counts a task of `entry` as over, and drops the entry when it was the last one and the route
   * is not paused.
   *
   * @param entry - the task's route
   */
  public taskOver(entry: RouteQueue): void {
    entry.tasks -= 1;
    if (entry.tasks === 0 && entry.pausedUntil <= steadyNow() && this.#queues.get(entry.key) === entry)
      this.#queues.delete(entry.key);
  }

  /** Stops the sweeper (the next queue made starts it again). */
  public stopSweeper(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  /**
   * The window of `template`: its own from `routes`, the message window for a message route, or
   * none. A window of `limit` per `interval` becomes a queue running at most `limit` sends, each
   * keeping its slot for `interval` after its answer (docs/protocol.md §8.6): the platform counts
   * sends as they arrive, and a send has arrived by the time its answer is back, so however long
   * each one travels, no `interval` sees more than `limit` arrive. Pacing the sends' starts
   * instead let a quick send land in the window of a slower one sent a whole window earlier.
   */
  #windowOf(template: string): RouteWindow | undefined {
    return (
      this.#limits.routes?.[template] ??
      (MESSAGE_ROUTE.test(template)
        ? { limit: this.#limits.messagesPerSecond, interval: MESSAGE_WINDOW_MS }
        : undefined)
    );
  }

  /** Who set the window of `template`: the user, by which option, or the platform's default. */
  #windowOwner(template: string): WindowOwner {
    if (this.#limits.routes?.[template] !== undefined) return 'rateLimits.routes';
    return this.#limits.messagesPerSecondGiven ? 'rateLimits.messagesPerSecond' : 'platform';
  }

  #add(key: string): RouteQueue {
    const entry: RouteQueue = {
      key,
      shaped: false,
      queue: undefined,
      holdMs: 0,
      windowOf: 'platform',
      inFlight: undefined,
      tasks: 0,
      pauseWaiters: 0,
      pausedUntil: 0,
      pauseCode: 429,
      waiting: undefined,
      running: new Set(),
      holdEnds: [],
    };
    this.#queues.set(key, entry);
    this.#startSweeper();
    return entry;
  }

  #startSweeper(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_INTERVAL);
    this.#sweeper.unref();
  }

  /** Drops the entries no task holds whose pause has ended (or that a task looked up but left). */
  #sweep(): void {
    const now = steadyNow();
    for (const [key, entry] of this.#queues)
      if (entry.tasks === 0 && entry.pausedUntil <= now) this.#queues.delete(key);
    if (this.#queues.size === 0) this.stopSweeper();
  }
}
