import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  childLogger,
  createLogger,
  MAX_TIMER_DELAY,
  messageOf,
  sleepUnlessAborted,
  ValidationError,
  type BotLogger,
  wireName,
} from '@bot/core';
import {
  DEFAULT_BUDGET_PERIOD_MS,
  DEFAULT_IDENTIFY_WINDOW_MS,
  identifyMarginMs,
  MAX_IDENTIFY_CONCURRENCY,
  validateIdentifyLimits,
  type IdentifyLimits,
  type IdentifyQueue,
} from '../../identify/IdentifyQueue.js';
import { RedisKeys } from '../RedisKeys.js';
import { RedisClock } from '../support/RedisClock.js';
import {
  checkRetryPolicy,
  DEFAULT_TRY_TIMEOUT_MS,
  withRetries,
  type RetryHooks,
  type RetryPolicy,
} from '../support/retry.js';
import type { RedisIdentifyQueueOptions } from './RedisIdentifyQueueOptions.js';
import { BudgetWaitReporter } from './BudgetWaitReporter.js';
import { ConnectionWaits } from './ConnectionWaits.js';
import { IdentifyLeases } from './IdentifyLeases.js';
import { IdentifyMemory } from './IdentifyMemory.js';
import { ResyncedClock } from './ResyncedClock.js';
import {
  ACQUIRE,
  INIT,
  LEAVE,
  parseAcquireReply,
  parseRefusal,
  RELEASE,
  SENT,
  STATE_MISSING,
  type AcquireReply,
  type StoredRefusal,
} from './scripts.js';
import { StoredIdentifyStateError, type StoredStateUse } from './StoredIdentifyStateError.js';
import {
  badStoredField,
  isStoredIdentifyField,
  STORED_FIELDS,
  storedFieldValue,
  type StoredFieldRule,
  type StoredIdentifyField,
} from './storedFields.js';

export type { RedisIdentifyQueueOptions } from './RedisIdentifyQueueOptions.js';

/** Default interval between two measurements of the server's clock. */
const CLOCK_SYNC_INTERVAL_MS = 30_000;

/** Longest `leaseMs`: its renewal interval, a third of it, must fit a timer. */
const MAX_LEASE_MS = 3 * MAX_TIMER_DELAY;

/**
 * The longest a shard sleeps on one answer before asking again (or `clockSyncIntervalMs` when
 * longer): an answer reckoned on a clock estimate off by a wall-clock step not yet measured, or on
 * a state since set right, does not park a shard for the rest of a day's wait. The cost is one
 * `ACQUIRE` per waiting shard per this time during long waits.
 */
const MAX_SLEEP_MS = 300_000;

/**
 * The round trip a sample of the server's clock may take to replace a measurement when the safety
 * margin is smaller: with `marginMs: 0` a bound of the margin alone would refuse every sample.
 */
const MIN_SAMPLE_ROUND_TRIP_MS = 50;

/** The budget's fields as `remaining()` reads them; the total first, as it bounds the remaining count. */
const BUDGET_FIELDS = ['total', 'remaining', 'resetAt'] as const satisfies readonly StoredIdentifyField[];

/** Shortest pause before a waiter that is not first in line asks again. */
const MIN_POLL_MS = 50;

/**
 * An {@link IdentifyQueue} shared by every process of a bot through Redis. The same rules as the
 * in-memory queue hold across processes and machines: one identify per bucket
 * (`shard_id % max_concurrency`) per window, first come first served within a bucket, never more
 * identifies than the daily budget has left. Each decision is one Lua script, so it is atomic.
 * A bucket opens again a window plus a safety margin (`limits.marginMs`, see `identifyMarginMs`)
 * after the Identify frame was sent, as the shard reports it through {@link identifySent}; all
 * processes measure against the server's clock, estimated as the local wall clock plus an offset
 * measured with `TIME` and measured again every `clockSyncIntervalMs` while the queue is in use.
 * The wall clock counts a suspend as the server's does, so a suspend needs no new measurement; a
 * step of the wall clock brings one on at once, in the background (until it is taken the
 * estimate is off by the step). A shard sleeps at most `clockSyncIntervalMs` or 5 minutes,
 * whichever is longer, on one answer before it asks again.
 *
 * A waiting shard holds a lease on its place in line; its process renews it while it waits. If the
 * process dies, the lease runs out and the shards behind move up. An aborted wait leaves the line,
 * and a turn granted just as its wait was aborted is given back.
 *
 * A shard whose turn meets a used-up session budget waits for its reset and is reported once per
 * wait as a `SessionStartsUsedUpError`, as the in-memory queue reports it: to `onBudgetWait`, or as
 * a warning on the logger without one.
 *
 * While the client reconnects (Redis restarting, the network down), a turn waits for the
 * connection: each try of `retry` waits up to its timeout, so with the default policy a wait rides
 * out about 30 s (3 tries of 10 s), takes its turn once Redis is back, and the outage is logged as
 * one warning, however many shards wait. No turn is ever granted without Redis: that would break
 * the pacing across processes. Past the last try, or if Redis fails otherwise, `wait` rejects with
 * a `RedisOperationError`; the shard reports it to `error` handlers and asks again after its
 * back-off. An abort ends the wait at once. Shards already connected are not affected.
 *
 * ```ts
 * const info = await gatewayInfoFromRest(rest).gatewayBot();
 * const identifyQueue = new RedisIdentifyQueue(redis, { appId, limits: identifyLimitsFrom(info.session_start_limit) });
 * const manager = new ShardManager({ …, identifyQueue });
 * ```
 */
export class RedisIdentifyQueue implements IdentifyQueue {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #clock: ResyncedClock;
  /** The longest sleep on one answer. */
  readonly #maxSleepMs: number;
  readonly #limits: IdentifyLimits;
  readonly #leaseMs: number;
  readonly #marginMs: number;
  readonly #retry: RetryPolicy;
  readonly #log: BotLogger;
  readonly #budgetWaits: BudgetWaitReporter;
  readonly #connectionWaits: ConnectionWaits;
  readonly #instance = randomUUID();
  #tickets = 0;
  #pollFloorMs: number;
  #started: Promise<void> | undefined;
  readonly #leases: IdentifyLeases;
  /** Whether the shared state was found missing after this process had set it up: it was lost. */
  #stateLost = false;
  /** The shared window as last read. */
  #windowMs: number;
  readonly #memory: IdentifyMemory;

  /**
   * @param redis - a connected client (not used for blocking commands; share it freely)
   * @param options - namespace, limits and lease
   * @throws {@link ValidationError} for invalid limits, lease, namespace or `retry` (see `RetryPolicy`)
   */
  public constructor(redis: Redis, options: RedisIdentifyQueueOptions) {
    validateIdentifyLimits(options.limits);
    // Leases are renewed every third of leaseMs, by a timer that runs every 1 ms past its limit.
    const leaseMs = options.leaseMs;
    if (leaseMs !== undefined && !(leaseMs >= 1_000 && leaseMs <= MAX_LEASE_MS)) {
      throw new ValidationError('leaseMs', `must be from 1000 to ${MAX_LEASE_MS} ms (got ${leaseMs})`);
    }
    const syncMs = options.clockSyncIntervalMs;
    if (syncMs !== undefined && !(syncMs >= 1_000 && Number.isFinite(syncMs))) {
      throw new ValidationError('clockSyncIntervalMs', `must be at least 1000 ms (got ${syncMs})`);
    }
    this.#redis = redis;
    this.#keys = new RedisKeys(options);
    this.#limits = options.limits;
    this.#leaseMs = options.leaseMs ?? 15_000;
    this.#marginMs = identifyMarginMs(options.limits);
    // A sample less certain than the margin could close a bucket too briefly.
    const clock = new RedisClock(redis, Math.max(this.#marginMs, MIN_SAMPLE_ROUND_TRIP_MS));
    this.#retry = checkRetryPolicy(options.retry);
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'redis-identify');
    this.#budgetWaits = new BudgetWaitReporter(options, this.#log);
    this.#connectionWaits = new ConnectionWaits(this.#log, this.#retry);
    const syncIntervalMs = syncMs ?? CLOCK_SYNC_INTERVAL_MS;
    this.#maxSleepMs = Math.max(syncIntervalMs, MAX_SLEEP_MS);
    this.#clock = new ResyncedClock(
      clock,
      syncIntervalMs,
      this.#log,
      this.#retry.timeoutMs ?? DEFAULT_TRY_TIMEOUT_MS,
    );
    this.#memory = new IdentifyMemory(options.limits.maxConcurrency);
    this.#leases = new IdentifyLeases(
      redis,
      `${this.#keys.identify}:leases`,
      this.#clock,
      this.#leaseMs,
      this.#log,
    );
    this.#windowMs = options.limits.windowMs ?? DEFAULT_IDENTIFY_WINDOW_MS;
    this.#pollFloorMs = pollFloor(this.#windowMs);
  }

  /**
   * Session starts left in the shared budget now. A shared state found gone (Redis restarted
   * without its data) is created again first, as a turn would.
   *
   * @throws {@link StoredIdentifyStateError} when a stored budget field breaks its rule (the next
   *   call or turn sets the state up again); {@link RedisOperationError} when Redis cannot be read
   */
  public async remaining(): Promise<number> {
    await this.#start();
    let stored = await this.#readBudget();
    if (BUDGET_FIELDS.every((field) => stored[field] === null)) {
      await this.#recreate();
      stored = await this.#readBudget();
    }
    const read = (field: StoredIdentifyField): string | null | undefined => stored[field];
    const bad = badStoredField(BUDGET_FIELDS, read);
    if (bad !== undefined) this.#refused(bad, undefined, 'read');
    // Checked just above: each is a number keeping its rule.
    const [total = 0, remaining = 0, resetAt = 0] = BUDGET_FIELDS.map((field) =>
      storedFieldValue(field, read),
    );
    return this.#clock.now() >= resetAt ? total : remaining;
  }

  /** The stored budget fields, as they are (`null` when missing). */
  async #readBudget(): Promise<Partial<Record<StoredIdentifyField, string | null>>> {
    const [total = null, remaining = null, resetAt = null] = await withRetries(
      { operation: 'read the identify budget' },
      () => this.#redis.hmget(this.#keys.identify, ...BUDGET_FIELDS),
    );
    return { total, remaining, resetAt };
  }

  /** {@inheritDoc IdentifyQueue.wait} */
  public wait(shardId: number, signal?: AbortSignal): Promise<void> {
    if (!Number.isSafeInteger(shardId) || shardId < 0) {
      return Promise.reject(new ValidationError('shardId', `must be an integer ≥ 0 (got ${shardId})`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const ticket = `${this.#instance}:${++this.#tickets}`;
    return new Promise<void>((resolve, reject) => {
      // An abort settles the wait at once; leaving the line happens in the background.
      const onAbort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#takeTurn(ticket, shardId, signal)
        .then(
          (granted) => granted && resolve(),
          (error: unknown) => reject(error),
        )
        .finally(() => signal?.removeEventListener('abort', onAbort));
    });
  }

  /** {@inheritDoc IdentifyQueue.identifySent} */
  public identifySent(shardId: number): void {
    if (!Number.isSafeInteger(shardId) || shardId < 0) return;
    // Fire and forget: the grant already closed the bucket for a window plus the margin from the
    // turn, so a lost update only means the window counts from the turn.
    void this.#recordSend(shardId).catch((error: unknown) => this.#log.warn(messageOf(error)));
  }

  async #recordSend(shardId: number): Promise<void> {
    const sentAt = this.#clock.now();
    this.#memory.closeUntil(shardId, sentAt + this.#windowMs + this.#marginMs);
    const reply = await withRetries({ operation: 'record an identify send', shardId }, () =>
      SENT.run(this.#redis, [this.#keys.identify], [sentAt, shardId, this.#marginMs]),
    );
    const refusal = parseRefusal(reply);
    if (refusal !== undefined) this.#refused(refusal, shardId, 'send');
  }

  /**
   * Throws for a refused stored field (a script's `{-2, field, stored}`, or a budget field read
   * here), and has the next turn set the state up again: INIT replaces such a value with this
   * process's.
   */
  #refused({ field, stored }: StoredRefusal, shardId: number | undefined, use: StoredStateUse): never {
    this.#started = undefined;
    // What INIT writes over each field, where it does not depend on the time or the lines.
    const own: Partial<Record<string, number>> = {
      maxConcurrency: this.#limits.maxConcurrency,
      windowMs: this.#limits.windowMs ?? DEFAULT_IDENTIFY_WINDOW_MS,
      periodMs: this.#limits.periodMs ?? DEFAULT_BUDGET_PERIOD_MS,
      total: this.#limits.total,
    };
    const key = this.#keys.identify;
    const ownCount = this.#limits.maxConcurrency;
    throw new StoredIdentifyStateError(key, stored, ownCount, shardId, field, own[field], use);
  }

  /** Resolves `true` with a turn, or `false` once the wait was aborted (and its place given up). */
  async #takeTurn(ticket: string, shardId: number, signal: AbortSignal | undefined): Promise<boolean> {
    this.#leases.hold(ticket);
    /** Whether this wait was reported as one for a used-up budget: once per wait. */
    let reported = false;
    try {
      await this.#start();
      for (;;) {
        if (signal?.aborted) {
          void this.#leave(ticket, shardId);
          return false;
        }
        const { status, delayMs, budget, grantedAt } = await this.#acquire(ticket, shardId, signal);
        if (status === 1) {
          if (signal?.aborted) {
            void this.#release(ticket, shardId);
            return false;
          }
          this.#memory.closeUntil(shardId, grantedAt + this.#windowMs + this.#marginMs);
          return true;
        }
        if (status === -1) {
          // The shared state vanished (Redis restarted without its data, a flushed database):
          // create it again, every bucket closed for a window, the budget no larger than last seen.
          await this.#recreate();
          continue;
        }
        if (budget !== undefined && budget.remaining <= 0 && !reported) {
          reported = true;
          this.#budgetWaits.report(shardId, budget);
        }
        // An answer is only as good as the clock it was reckoned on: ask again after a while
        // rather than sleep through a wait that ended.
        await sleepUnlessAborted(
          Math.min(delayMs > 0 ? delayMs : this.#pollFloorMs, this.#maxSleepMs),
          signal,
        );
      }
    } catch (error) {
      void this.#leave(ticket, shardId);
      throw error;
    } finally {
      this.#leases.release(ticket);
    }
  }

  /**
   * The shared state vanished (Redis restarted without its data, a flushed database): creates it
   * again, every bucket closed for a window, the budget no larger than last seen.
   */
  async #recreate(): Promise<void> {
    this.#markLost('recreating it');
    await this.#start();
  }

  /**
   * Counts the shared state as lost, so the next set-up (a turn, `remaining()`) closes every
   * bucket for a window: what was granted before the loss is unknown.
   *
   * @param then - what happens next, for the warning
   */
  #markLost(then: string): void {
    this.#log.warn(
      `identify state missing in Redis (restarted without persistence, evicted or deleted?); ${then} with every bucket closed for one window`,
    );
    this.#stateLost = true;
    this.#started = undefined;
  }

  /** Syncs the clock and creates (or joins) the shared state, once. */
  #start(): Promise<void> {
    this.#started ??= this.#initialise().catch((error: unknown) => {
      this.#started = undefined;
      throw error;
    });
    return this.#started;
  }

  async #initialise(): Promise<void> {
    await this.#clock.sync(this.#retry, this.#waitForConnection());
    const limits = this.#limits;
    const now = this.#clock.now();
    const { remaining, resetAfterMs } = this.#memory.budgetAt(now, limits);
    const closeForMs = this.#stateLost ? this.#windowMs + this.#marginMs : 0;
    const reply = await withRetries(
      { operation: 'set up the identify queue' },
      () =>
        INIT.run(
          this.#redis,
          [this.#keys.identify],
          [
            now,
            limits.total,
            remaining,
            resetAfterMs,
            limits.periodMs ?? DEFAULT_BUDGET_PERIOD_MS,
            limits.maxConcurrency,
            limits.windowMs ?? DEFAULT_IDENTIFY_WINDOW_MS,
            closeForMs,
          ],
        ),
      this.#retry,
      this.#waitForConnection(),
    );
    this.#connectionWaits.through();
    const [maxConcurrency, windowMs, storedRemaining, resetAt] = Array.isArray(reply)
      ? reply.slice(0, 4).map(Number)
      : [];
    const replaced: unknown = Array.isArray(reply) ? reply[4] : undefined;
    this.#stateLost = false;
    this.#memory.noteBudget(storedRemaining, resetAt);
    this.#warnReplaced(Array.isArray(replaced) ? replaced.map(String) : []);
    // The script keeps the stored count in bounds; a reply outside them (a script of another
    // version) is not taken either.
    if (maxConcurrency !== undefined && isConcurrencyInBounds(maxConcurrency)) {
      this.#memory.maxConcurrency = maxConcurrency;
    }
    if (windowMs !== undefined && windowMs > 0) this.#windowMs = windowMs;
    // After a replacement the count is this process's own: only a window of another is news.
    if (
      maxConcurrency !== limits.maxConcurrency ||
      windowMs !== (limits.windowMs ?? DEFAULT_IDENTIFY_WINDOW_MS)
    ) {
      this.#log.warn(
        `another process set up the queue with max_concurrency ${maxConcurrency} and a ${windowMs} ms window; using those`,
      );
    }
    if (windowMs !== undefined && windowMs > 0) this.#pollFloorMs = pollFloor(windowMs);
  }

  /** Warns of each stored field INIT replaced: `fieldsAndValues` is `[field, value, field, value, …]`. */
  #warnReplaced(fieldsAndValues: string[]): void {
    for (let i = 0; i + 1 < fieldsAndValues.length; i += 2) {
      const [field = '', stored = ''] = fieldsAndValues.slice(i, i + 2);
      if (field === 'maxConcurrency') {
        this.#log.warn(
          `the shared identify state held max_concurrency ${wireName(stored)}, not an integer from 1 to ${MAX_IDENTIFY_CONCURRENCY} (written by an older version, or from a broken /gateway/bot answer); replaced it with this process's ${this.#limits.maxConcurrency}`,
        );
      } else if (isStoredIdentifyField(field)) {
        const rule: StoredFieldRule = STORED_FIELDS[field];
        this.#log.warn(
          `the shared identify state held ${field} ${wireName(stored)}, not ${rule.text} (written by hand or by an older version); replaced it with ${rule.replacedWith ?? "this process's value"}`,
        );
      }
    }
  }

  /** Hooks having a try wait for the client while it reconnects (see the class's doc), and tell of it. */
  #waitForConnection(signal?: AbortSignal): RetryHooks {
    return { signal, connection: this.#redis, onReconnecting: () => this.#connectionWaits.waiting() };
  }

  /** One `ACQUIRE`, with the time it was reckoned at (taken when the try is sent, not before a wait). */
  async #acquire(
    ticket: string,
    shardId: number,
    signal: AbortSignal | undefined,
  ): Promise<AcquireReply & { grantedAt: number }> {
    let grantedAt = this.#clock.now();
    const reply = await withRetries(
      { operation: 'take an identify turn', shardId },
      () => {
        grantedAt = this.#clock.now();
        return ACQUIRE.run(
          this.#redis,
          [this.#keys.identify],
          [grantedAt, ticket, shardId, this.#leaseMs, this.#marginMs, this.#memory.floorOf(shardId)],
        );
      },
      this.#retry,
      this.#waitForConnection(signal),
    );
    this.#connectionWaits.through();
    const acquired = parseAcquireReply(reply);
    if (acquired.badStored !== undefined) this.#refused(acquired.badStored, shardId, 'turn');
    this.#memory.noteBudget(acquired.budget?.remaining, acquired.budget?.resetAt);
    return { ...acquired, grantedAt };
  }

  async #leave(ticket: string, shardId: number): Promise<void> {
    try {
      const reply = await withRetries({ operation: 'leave the identify line', shardId }, () =>
        LEAVE.run(this.#redis, [this.#keys.identify], [ticket, shardId]),
      );
      const refusal = parseRefusal(reply);
      if (refusal !== undefined) this.#refused(refusal, shardId, 'leave');
    } catch (error) {
      // The lease runs out on its own: the line moves on after at most `leaseMs`.
      this.#log.warn(messageOf(error));
    }
  }

  /**
   * Gives back a turn granted to an aborted wait. Its wait has settled, so a failure is told as a
   * warning, as for a send or leaving the line; a refused stored field is also set right by the
   * next turn. A state found missing (its hash deleted or evicted, the grant kept) is lost as on
   * a turn's: the next set-up closes every bucket for a window.
   */
  async #release(ticket: string, shardId: number): Promise<void> {
    try {
      const reply = await withRetries({ operation: 'give back an identify turn', shardId }, () =>
        RELEASE.run(this.#redis, [this.#keys.identify], [ticket]),
      );
      if (reply === STATE_MISSING) {
        this.#markLost('the next turn or remaining() creates it again');
        return;
      }
      const refusal = parseRefusal(reply);
      if (refusal !== undefined) this.#refused(refusal, shardId, 'giveBack');
    } catch (error) {
      this.#log.warn(messageOf(error));
    }
  }
}

function pollFloor(windowMs: number): number {
  return Math.max(MIN_POLL_MS, Math.round(windowMs / 20));
}

/** Whether `count` is a bucket count a queue takes: an integer from 1 to MAX_IDENTIFY_CONCURRENCY. */
function isConcurrencyInBounds(count: number): boolean {
  return Number.isInteger(count) && count >= 1 && count <= MAX_IDENTIFY_CONCURRENCY;
}
