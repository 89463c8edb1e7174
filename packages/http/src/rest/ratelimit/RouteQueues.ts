import PQueue from 'p-queue';
import type { RateLimitOptions, RouteWindow } from './RateLimitOptions.js';

/** What the rate limiter keeps per route key: its queue, its pause and its waiters. */
export interface RouteQueue {
  /** `undefined` for a route with neither a window nor a concurrency cap: nothing to queue for. */
  queue: PQueue | undefined;
  /**
   * Milliseconds a send keeps its slot in `queue` after its answer: the route's window, or 0 for a
   * route with none (its queue only caps concurrency).
   */
  holdMs: number;
  /**
   * The cap on sends in flight when it is below the window's limit: `queue` counts held slots
   * too, so the cap needs a gate of its own; `undefined` otherwise.
   */
  inFlight: PQueue | undefined;
  /** Tasks of this route running or waiting for a pause (routes without a queue count here). */
  unqueued: number;
  /** Tasks of a route without a queue that wait out a pause, bounded by `maxQueued`. */
  pauseWaiters: number;
  /** Epoch ms until which this route must not send (after a rate limit on it). */
  pausedUntil: number;
  /** Platform code of the rate limit behind the pause. */
  pauseCode: number;
  lastUsed: number;
}

/** The limits every new route queue is made with. */
export interface RouteQueueLimits {
  /** Sends per second of the message routes (`POST …/messages`) without a window of their own. */
  readonly messagesPerSecond: number;
  /** Requests of one route key running at once; infinite for no cap. */
  readonly concurrency: number;
  /** Windows by `METHOD template`; see {@link RateLimitOptions.routes}. */
  readonly routes: RateLimitOptions['routes'];
}

/**
 * How long an idle route queue is kept. A queue holding a slot past an answer is never idle, so a
 * window longer than this loses nothing when its queue is dropped.
 */
const IDLE_QUEUE_TTL = 60_000;
const MESSAGE_ROUTE = /^POST \/.*\/messages$/;
/** The platform's message window: `messagesPerSecond` counts sends per this many milliseconds. */
const MESSAGE_WINDOW_MS = 1000;

/**
 * The route queues of a rate limiter, by route key: each made on first use with its route's
 * window and concurrency cap, and dropped by a sweeper once idle for a minute and not paused.
 * The sweeper runs only while queues are kept.
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
   * The queue of `key`, if kept.
   *
   * @param key - route key
   */
  public find(key: string): RouteQueue | undefined {
    return this.#queues.get(key);
  }

  /**
   * The queue of `key`, made for `template` when not kept yet.
   *
   * @param key - route key (`METHOD template:majorId`)
   * @param template - `METHOD template`, which selects the window
   */
  public queueFor(key: string, template: string): RouteQueue {
    let entry = this.#queues.get(key);
    if (!entry) {
      const window = this.#windowOf(template);
      const cap = this.#limits.concurrency;
      // A window's slots are its queue's, held past each answer; a cap below them gates sends apart.
      const slots = window === undefined ? cap : window.limit;
      entry = {
        queue: Number.isFinite(slots) ? new PQueue({ concurrency: slots }) : undefined,
        holdMs: window?.interval ?? 0,
        inFlight: window !== undefined && cap < window.limit ? new PQueue({ concurrency: cap }) : undefined,
        unqueued: 0,
        pauseWaiters: 0,
        pausedUntil: 0,
        pauseCode: 429,
        lastUsed: Date.now(),
      };
      this.#queues.set(key, entry);
      this.#startSweeper();
    }
    return entry;
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

  #startSweeper(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => this.#sweep(), IDLE_QUEUE_TTL);
    this.#sweeper.unref();
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#queues) {
      const idle =
        entry.unqueued === 0 &&
        (entry.queue === undefined || (entry.queue.size === 0 && entry.queue.pending === 0));
      if (idle && entry.pausedUntil <= now && now - entry.lastUsed >= IDLE_QUEUE_TTL)
        this.#queues.delete(key);
    }
    if (this.#queues.size === 0) this.stopSweeper();
  }
}
