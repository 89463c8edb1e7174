import PQueue from 'p-queue';
import { sleep } from '../../util/abort.js';
import type { RateLimitOptions, RouteWindow } from './RateLimitOptions.js';

interface RouteQueue {
  /** `undefined` for a route with neither a window nor a concurrency cap: nothing to queue for. */
  queue: PQueue | undefined;
  /** Tasks of this route running or waiting for a pause (routes without a queue count here). */
  unqueued: number;
  /** Epoch ms until which this route must not send (after code `22009`). */
  pausedUntil: number;
  lastUsed: number;
}

/** How long an idle route queue is kept: longer than any window, so dropping it loses no history. */
const IDLE_QUEUE_TTL = 60_000;
const MESSAGE_ROUTE = /^POST \/.*\/messages$/;

/**
 * One `p-queue` per route key. Queues hold the platform's windows (5 messages/s per channel by
 * default), the pauses the platform asked for, and a concurrency cap. A task's slot is released
 * however the task ends (resolved, rejected, aborted, timed out) because the slot is the task's own
 * promise, and a task aborted while still queued is removed from its queue. A route with neither a
 * window nor a cap (most reads) has nothing to queue for: its tasks only wait out the pauses, and
 * skip the queue's bookkeeping.
 */
export class RateLimitManager {
  readonly #queues = new Map<string, RouteQueue>();
  readonly #messagesPerSecond: number;
  readonly #concurrency: number;
  readonly #routes: RateLimitOptions['routes'];
  #globalPausedUntil = 0;
  #sweeper: NodeJS.Timeout | undefined;

  /** @param options - windows and concurrency; see {@link RateLimitOptions} */
  public constructor(options: RateLimitOptions = {}) {
    this.#messagesPerSecond = options.messagesPerSecond ?? 5;
    this.#concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
    this.#routes = options.routes;
  }

  /** Requests waiting in a queue (not yet sent), across all routes. */
  public get queued(): number {
    let total = 0;
    for (const entry of this.#queues.values()) total += entry.queue?.size ?? 0;
    return total;
  }

  /** Number of route queues currently kept (idle ones are dropped after a minute). */
  public get size(): number {
    return this.#queues.size;
  }

  /**
   * Runs `task` in the queue of `key` once its window, the route pause and the global pause allow.
   *
   * @param key - route key (`METHOD template:majorId`)
   * @param template - `METHOD template`, which selects the window
   * @param task - the request; it must settle on its own (timeout) or through `signal`
   * @param signal - removes a waiting task from its queue, or interrupts a pause
   */
  public schedule<T>(
    key: string,
    template: string,
    task: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const entry = this.#queueFor(key, template);
    entry.lastUsed = Date.now();
    return entry.queue === undefined
      ? this.#runUnqueued(entry, task, signal)
      : this.#runQueued(entry, entry.queue, task, signal);
  }

  /**
   * Holds every route until `ms` from now (HTTP 429). Later pauses extend earlier ones, never shorten them.
   *
   * @param ms - how long, in milliseconds
   */
  public pauseGlobal(ms: number): void {
    this.#globalPausedUntil = Math.max(this.#globalPausedUntil, Date.now() + ms);
  }

  /**
   * Holds one route key until `ms` from now (code `22009` on that channel).
   *
   * @param key - route key
   * @param ms - how long, in milliseconds
   */
  public pauseRoute(key: string, ms: number): void {
    const entry = this.#queues.get(key);
    if (entry) entry.pausedUntil = Math.max(entry.pausedUntil, Date.now() + ms);
  }

  /** Stops the idle-queue sweeper; queued work is left to finish. */
  public destroy(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  async #runQueued<T>(
    entry: RouteQueue,
    queue: PQueue,
    task: () => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    try {
      return await queue.add(
        async () => {
          await this.#waitForPauses(entry, signal);
          return task();
        },
        signal ? { signal } : {},
      );
    } catch (error) {
      // p-queue rejects a task removed from the queue with its own AbortError; callers expect the
      // reason they aborted with, as for every other abortable API.
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      entry.lastUsed = Date.now();
    }
  }

  async #runUnqueued<T>(
    entry: RouteQueue,
    task: () => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    entry.unqueued += 1;
    try {
      if (this.#pauseLeft(entry) > 0) await this.#waitForPauses(entry, signal);
      return await task();
    } finally {
      entry.unqueued -= 1;
      entry.lastUsed = Date.now();
    }
  }

  #pauseLeft(entry: RouteQueue): number {
    return Math.max(this.#globalPausedUntil, entry.pausedUntil) - Date.now();
  }

  async #waitForPauses(entry: RouteQueue, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const wait = this.#pauseLeft(entry);
      if (wait <= 0) return;
      await sleep(wait, signal);
    }
  }

  #queueFor(key: string, template: string): RouteQueue {
    let entry = this.#queues.get(key);
    if (!entry) {
      const options = this.#queueOptions(template);
      entry = {
        queue: options === undefined ? undefined : new PQueue(options),
        unqueued: 0,
        pausedUntil: 0,
        lastUsed: Date.now(),
      };
      this.#queues.set(key, entry);
      this.#startSweeper();
    }
    return entry;
  }

  /** The queue a route needs, or `undefined` when it needs none. */
  #queueOptions(template: string): ConstructorParameters<typeof PQueue>[0] | undefined {
    const window: RouteWindow | undefined =
      this.#routes?.[template] ??
      (MESSAGE_ROUTE.test(template) ? { limit: this.#messagesPerSecond, interval: 1000 } : undefined);
    const concurrency = this.#concurrency;
    if (window) return { concurrency, intervalCap: window.limit, interval: window.interval, strict: true };
    return Number.isFinite(concurrency) ? { concurrency } : undefined;
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
    if (this.#queues.size === 0) this.destroy();
  }
}
