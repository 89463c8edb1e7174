import { MAX_TIMER_DELAY, msUntil, steadyNow, ValidationError } from '@bot/core';
import {
  DEFAULT_BUDGET_PERIOD_MS,
  DEFAULT_IDENTIFY_WINDOW_MS,
  identifyMarginMs,
  validateIdentifyLimits,
  type IdentifyLimits,
  type IdentifyQueue,
} from './IdentifyQueue.js';
import type { BudgetWaitReports } from './BudgetWaitReports.js';
import { SessionStartsUsedUpError } from './SessionStartsUsedUpError.js';

/** What an {@link InMemoryIdentifyQueue} tells besides granting turns (as the Redis queue does). */
export type InMemoryIdentifyQueueReports = BudgetWaitReports;

interface Waiter {
  shardId: number;
  resolve: () => void;
  /** Stops listening to the waiter's abort signal. */
  detach: () => void;
  /** Whether its wait for a budget reset was reported. */
  reported?: boolean;
}

interface Bucket {
  /** Earliest time the bucket may identify again, on the steady clock. */
  nextAt: number;
  waiters: Waiter[];
}

/**
 * The default {@link IdentifyQueue}: correct for every shard of one process. Shards of one bot
 * spread over several processes need a shared implementation instead.
 *
 * A bucket opens again a window plus a safety margin ({@link identifyMarginMs}) after its last
 * turn, measured from the moment the Identify frame went out when the shard says so
 * ({@link InMemoryIdentifyQueue.identifySent}), from the grant otherwise. Windows and the budget
 * reset are counted on the steady clock (`steadyNow` of `@bot/core`): a wall clock that steps
 * neither holds a turn back nor lets one out early.
 */
export class InMemoryIdentifyQueue implements IdentifyQueue {
  readonly #buckets = new Map<number, Bucket>();
  /**
   * Earliest time a bucket made from now on may identify: the latest window running when the
   * buckets were last regrouped (0 before that). Kept instead of a bucket per key, so a regrouping
   * costs what the buckets in use cost, not what the new count would.
   */
  #regroupedFloor = 0;
  #maxConcurrency: number;
  #windowMs: number;
  #marginMs: number;
  #periodMs: number;
  #total: number;
  #remaining: number;
  /** When the budget resets, on the steady clock. */
  #resetAt: number;
  #timer: NodeJS.Timeout | undefined;
  readonly #reports: InMemoryIdentifyQueueReports;

  /**
   * @param limits - buckets, window and session-start budget
   * @param reports - where a wait for a used-up budget is told
   * @throws {@link ValidationError} naming the first invalid limit
   */
  public constructor(limits: IdentifyLimits, reports: InMemoryIdentifyQueueReports = {}) {
    validateIdentifyLimits(limits);
    this.#reports = reports;
    this.#maxConcurrency = limits.maxConcurrency;
    this.#windowMs = limits.windowMs ?? DEFAULT_IDENTIFY_WINDOW_MS;
    this.#marginMs = identifyMarginMs(limits);
    this.#periodMs = limits.periodMs ?? DEFAULT_BUDGET_PERIOD_MS;
    this.#total = limits.total;
    this.#remaining = limits.remaining;
    this.#resetAt = steadyNow() + limits.resetAfterMs;
  }

  /** Session starts left in the current period. */
  public get remaining(): number {
    return steadyNow() >= this.#resetAt ? this.#total : this.#remaining;
  }

  /** Shards waiting for their turn, over all buckets. */
  public get pending(): number {
    let count = 0;
    for (const bucket of this.#buckets.values()) count += bucket.waiters.length;
    return count;
  }

  /**
   * Adopts fresh numbers from the platform (a later `/gateway/bot`). The platform's count of
   * remaining starts replaces ours; bucket windows already running are kept.
   *
   * @param limits - the new limits
   */
  public update(limits: IdentifyLimits): void {
    validateIdentifyLimits(limits);
    if (limits.maxConcurrency !== this.#maxConcurrency) this.#rebucket(limits.maxConcurrency);
    this.#windowMs = limits.windowMs ?? this.#windowMs;
    this.#marginMs = identifyMarginMs({ ...limits, windowMs: this.#windowMs });
    this.#periodMs = limits.periodMs ?? this.#periodMs;
    this.#total = limits.total;
    this.#remaining = limits.remaining;
    this.#resetAt = steadyNow() + limits.resetAfterMs;
    this.#pump();
  }

  /** {@inheritDoc IdentifyQueue.wait} */
  public wait(shardId: number, signal?: AbortSignal): Promise<void> {
    if (!Number.isSafeInteger(shardId) || shardId < 0) {
      return Promise.reject(new ValidationError('shardId', `must be an integer ≥ 0 (got ${shardId})`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const waiters = this.#bucket(shardId % this.#maxConcurrency).waiters;
        const index = waiters.indexOf(waiter);
        if (index !== -1) waiters.splice(index, 1);
        reject(signal?.reason);
        this.#pump();
      };
      const waiter: Waiter = {
        shardId,
        resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#bucket(shardId % this.#maxConcurrency).waiters.push(waiter);
      this.#pump();
    });
  }

  /** {@inheritDoc IdentifyQueue.identifySent} */
  public identifySent(shardId: number): void {
    if (!Number.isSafeInteger(shardId) || shardId < 0) return;
    const bucket = this.#bucket(shardId % this.#maxConcurrency);
    bucket.nextAt = Math.max(bucket.nextAt, steadyNow() + this.#windowMs + this.#marginMs);
    this.#pump();
  }

  #bucket(key: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { nextAt: this.#regroupedFloor, waiters: [] };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /**
   * Regroups waiters under a new bucket count. Which old bucket a new one descends from is not
   * defined, so every new bucket waits for the latest window still running: never too early.
   */
  #rebucket(maxConcurrency: number): void {
    let latest = this.#regroupedFloor;
    const waiters: Waiter[] = [];
    for (const bucket of this.#buckets.values()) {
      latest = Math.max(latest, bucket.nextAt);
      waiters.push(...bucket.waiters);
    }
    this.#buckets.clear();
    this.#maxConcurrency = maxConcurrency;
    // Every bucket made from here on starts at `latest`, those of the waiters below included.
    this.#regroupedFloor = latest;
    for (const waiter of waiters) this.#bucket(waiter.shardId % maxConcurrency).waiters.push(waiter);
  }

  #refillIfDue(now: number): void {
    if (now < this.#resetAt) return;
    this.#remaining = this.#total;
    while (this.#resetAt <= now) this.#resetAt += this.#periodMs;
  }

  /** Grants every turn that is due and sleeps until the next one can be. */
  #pump(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = steadyNow();
    this.#refillIfDue(now);
    let wakeAt = Number.POSITIVE_INFINITY;
    const budgetWaits: Waiter[] = [];
    for (const bucket of this.#buckets.values()) {
      const next = bucket.waiters[0];
      if (next === undefined) continue;
      if (now < bucket.nextAt) {
        wakeAt = Math.min(wakeAt, bucket.nextAt);
      } else if (this.#remaining <= 0) {
        wakeAt = Math.min(wakeAt, this.#resetAt);
        // Every shard in line waits for the reset, not only the first: each is told once.
        for (const waiter of bucket.waiters) if (waiter.reported !== true) budgetWaits.push(waiter);
      } else {
        bucket.waiters.shift();
        bucket.nextAt = now + this.#windowMs + this.#marginMs;
        this.#remaining--;
        next.detach();
        next.resolve();
        if (bucket.waiters.length > 0) wakeAt = Math.min(wakeAt, bucket.nextAt);
      }
    }
    if (wakeAt !== Number.POSITIVE_INFINITY) {
      // A longer delay would fire after 1 ms; waking early only finds the turn not yet due.
      const delayMs = Math.min(wakeAt - now, MAX_TIMER_DELAY);
      this.#timer = setTimeout(() => this.#pump(), delayMs);
    }
    if (budgetWaits.length > 0) this.#reportBudgetWaits(budgetWaits);
  }

  /** Tells each of `waiters`, newly waiting for the budget to reset, when that will be. */
  #reportBudgetWaits(waiters: readonly Waiter[]): void {
    // A date for people to read: the wall clock's now plus the time left on the steady one.
    const resetDate = new Date(Date.now() + msUntil(this.#resetAt));
    for (const waiter of waiters) {
      waiter.reported = true;
      this.#reports.onBudgetWait?.(new SessionStartsUsedUpError(waiter.shardId, this.#total, resetDate));
    }
  }
}
