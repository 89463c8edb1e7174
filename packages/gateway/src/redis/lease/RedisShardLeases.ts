import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import {
  childLogger,
  createLogger,
  msUntil,
  optionalInteger,
  requireText,
  sleepUnlessAborted,
  steadyNow,
  type BotLogger,
} from '@bot/core';
import type { ShardLease, ShardLeases } from '../../manager/ShardLeases.js';
import { RedisKeys, type RedisNamespace } from '../RedisKeys.js';
import { RedisOperationError } from '../RedisOperationError.js';
import type { SessionFence } from '../session/SessionFence.js';
import { checkRetryPolicy, withRetries, type RetryPolicy } from '../support/retry.js';
import { HeldShardLease } from './HeldShardLease.js';
import { CLAIM_LEASE } from './scripts.js';
import { ShardCountConflictError } from './ShardCountConflictError.js';
import { ShardGapWatch } from './ShardGapWatch.js';
import { ShardLeaseError } from './ShardLeaseError.js';

/** Default {@link RedisShardLeasesOptions.ttlMs}. */
export const DEFAULT_SHARD_LEASE_TTL_MS = 15_000;
/** Shortest lease TTL: renewals every third of it must fit Redis round trips with room to spare. */
const MIN_TTL_MS = 100;
/**
 * Longest sleep between two claims while a lease is held elsewhere: a holder that shuts down
 * deletes its lease, and the waiter takes it within this long (one small script per waiting shard
 * and interval, rather than a subscriber connection per process).
 */
const RELEASE_POLL_MS = 500;
/** Longest lease TTL: a process killed with SIGKILL delays its shards' restart by up to this. */
const MAX_TTL_MS = 600_000;

/** Options of {@link RedisShardLeases}. */
export interface RedisShardLeasesOptions extends RedisNamespace {
  /**
   * How long a lease outlives the last renewal of its process, in milliseconds: an integer from
   * 100 to 600,000 (15 s by default). Renewed every third of it. The trade-off: a process killed
   * with SIGKILL leaves its leases behind, so its shards start elsewhere only once they expire, up
   * to this long after; a shorter TTL lets a Redis outage of that length hand a shard to another
   * process (this one then stops it).
   */
  ttlMs?: number | undefined;
  /**
   * Names this process in leases, logs and errors (`<host>:<pid>:<random>` by default). Need not
   * be unique: each claim writes it with a random suffix of its own (`<owner>#<hex>`), so two
   * processes given the same name (`os.hostname()` in two containers of one host) still hold a
   * shard one at a time.
   */
  owner?: string | undefined;
  /** Retries of each claim before a start fails (3 tries, 10 s each, by default). */
  retry?: RetryPolicy | undefined;
  /** Logger; a sub-logger named `shard-leases` is derived from it. */
  logger?: BotLogger | undefined;
}

/**
 * One process per shard, kept in Redis: pass it as the manager's `shardLeases` (one manager per
 * instance). Before a shard starts (identifies or resumes), its process claims the key
 * `…:shard:<id>:owner` with `SET NX PX ttlMs`, holding a token of that claim (`<owner>#<hex>`); it
 * renews the lease every third of the TTL while the shard runs, and deletes it when the shard is
 * shut down (both only while the key still holds that token). A shard whose lease another claim
 * holds waits for it to end, logging once which process holds it, and looks again at least every
 * 500 ms: a holder that shuts down deletes its lease, and the shard starts here within that; a
 * process killed with SIGKILL leaves its lease until it expires. When it is still held after twice
 * the TTL, or after the holder's remaining TTL plus this TTL if that is later, the start fails
 * with a {@link ShardLeaseError}, as does a second start of a shard this instance holds already. A
 * running shard whose lease another process took over stops with that error.
 *
 * Given the shard count (`acquire`'s third argument), each lease is recorded under its count
 * (`…:shard:counts`): a claim while a live lease of another count exists fails at once with a
 * {@link ShardCountConflictError}, a renewal that finds one logs an error, and a shard of the
 * count without any lease for twice the TTL is warned of. Expired and released leases never
 * count. docs/redis-deployment.md, "One process per shard" and "One shard count".
 *
 * @example
 * ```ts
 * const manager = new ShardManager({ ...options, shardLeases: new RedisShardLeases(redis, { appId }) });
 * ```
 */
export class RedisShardLeases implements ShardLeases, SessionFence {
  /** This process's name: each of its leases holds it with a suffix of that claim (`<owner>#<hex>`). */
  public readonly owner: string;
  /** How long a lease outlives its last renewal, in milliseconds. */
  public readonly ttlMs: number;
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #retry: RetryPolicy;
  readonly #log: BotLogger;
  /** The token of each lease this instance holds, by shard id, until released. */
  readonly #held = new Map<number, string>();
  /** The shard count of each lease held that was taken with one, by shard id. */
  readonly #counts = new Map<number, number>();
  readonly #gaps: ShardGapWatch;

  /**
   * @param redis - a connected client (the one the session store uses fits)
   * @param options - namespace, TTL, owner id, retries and logger
   * @throws {@link ValidationError} for a TTL outside 100 … 600,000 ms, a blank owner, an invalid
   *   namespace, or a `retry` out of range (see `RetryPolicy`)
   */
  public constructor(redis: Redis, options: RedisShardLeasesOptions) {
    this.#redis = redis;
    this.#keys = new RedisKeys(options);
    this.ttlMs =
      optionalInteger(options.ttlMs, 'ttlMs', MIN_TTL_MS, MAX_TTL_MS) ?? DEFAULT_SHARD_LEASE_TTL_MS;
    this.owner =
      options.owner === undefined
        ? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
        : requireText(options.owner, 'owner');
    this.#retry = checkRetryPolicy(options.retry);
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'shard-leases');
    this.#gaps = new ShardGapWatch({
      redis,
      countsKey: this.#keys.shardCounts,
      shardPrefix: this.#keys.shardPrefix,
      ttlMs: this.ttlMs,
      log: this.#log,
    });
  }

  /** The key of a shard's lease, `…:shard:<id>:owner` (for a fenced `RedisSessionStore`). */
  public ownerKey(shardId: number): string {
    return this.#keys.shardOwner(shardId);
  }

  /**
   * {@inheritDoc SessionFence.holderOf}
   *
   * @returns the token of this instance's lease of the shard; the bare owner name, which no lease
   *   holds, when it holds none
   */
  public holderOf(shardId: number): string {
    return this.#held.get(shardId) ?? this.owner;
  }

  /**
   * {@inheritDoc ShardLeases.acquire}
   *
   * @throws {@link ShardLeaseError} (as a rejection) when another claim still holds the lease
   *   after the wait (see the class), or this instance holds it already; a
   *   {@link ShardCountConflictError} when `shardCount` is given and a live lease of another count
   *   exists; a `RedisOperationError` when Redis cannot be reached to claim it
   */
  public async acquire(shardId: number, signal: AbortSignal, shardCount?: number): Promise<ShardLease> {
    const mine = this.#held.get(shardId);
    if (mine !== undefined) {
      throw new ShardLeaseError(
        shardId,
        mine,
        'heldElsewhere',
        'this RedisShardLeases holds it already: give each manager one of its own',
      );
    }
    const key = this.#keys.shardOwner(shardId);
    // One token per call, kept through its retries: a claim that timed out but landed is ours.
    const token = `${this.owner}#${randomBytes(4).toString('hex')}`;
    // On the steady clock: how long this process has waited is its own duration.
    const startedAt = steadyNow();
    let giveUpAt: number | undefined;
    // The holder last seen, and when its lease would have ended: to say whether it was released.
    let previous: { holder: string; endsAt: number } | undefined;
    for (;;) {
      signal.throwIfAborted();
      const claim = await this.#claim(key, token, shardId, shardCount, signal);
      if (claim.state === 'otherCount')
        throw new ShardCountConflictError({ shardId, shardCount: shardCount!, ...claim });
      const { holder, remainingMs } = claim;
      if (claim.state === 'held') {
        if (previous !== undefined) this.#log.info(`shard ${shardId}: took its lease ${afterText(previous)}`);
        return this.#holding(shardId, shardCount, key, token);
      }
      previous = { holder, endsAt: remainingMs < 0 ? Infinity : steadyNow() + remainingMs };
      const expiry = remainingMs < 0 ? 'it has no expiry' : `it expires in ${remainingMs} ms unless renewed`;
      if (giveUpAt === undefined) {
        // A dead holder configured with a longer ttlMs is waited for until its lease expires.
        giveUpAt = Math.max(startedAt + 2 * this.ttlMs, steadyNow() + Math.max(remainingMs, 0) + this.ttlMs);
        this.#log.warn(
          `shard ${shardId}: process "${holder}" holds its lease (${expiry}); waiting for it to end ` +
            `(at most ${Math.round(giveUpAt - startedAt)} ms: a process killed without shutting down leaves its lease until it expires)`,
        );
      }
      const leftMs = msUntil(giveUpAt);
      if (leftMs <= 0) {
        const longer = remainingMs > this.ttlMs ? ` (longer than this process's ttlMs of ${this.ttlMs})` : '';
        throw new ShardLeaseError(
          shardId,
          holder,
          'heldElsewhere',
          `its lease was still held after ${Math.round(steadyNow() - startedAt)} ms; ${expiry}${longer}`,
        );
      }
      // Until the lease would end (a live holder will have renewed it), or sooner: a holder that
      // shuts down deletes its lease, and the shard should start here at once.
      const untilEndMs = remainingMs < 0 ? this.ttlMs / 3 : remainingMs + 1;
      await sleepUnlessAborted(Math.min(untilEndMs, RELEASE_POLL_MS, leftMs), signal);
    }
  }

  /** The lease just claimed with `token`, known to {@link holderOf} until it is released. */
  #holding(shardId: number, shardCount: number | undefined, key: string, token: string): HeldShardLease {
    this.#held.set(shardId, token);
    if (shardCount !== undefined) {
      this.#counts.set(shardId, shardCount);
      this.#gaps.start(() => new Set(this.#counts.values()));
    }
    const onReleased = (): void => {
      if (this.#held.get(shardId) !== token) return;
      this.#held.delete(shardId);
      this.#counts.delete(shardId);
      // The watch's timer goes with the last lease of a known count, not at its next look.
      if (this.#counts.size === 0) this.#gaps.stop();
    };
    return new HeldShardLease({
      redis: this.#redis,
      key,
      countsKey: this.#keys.shardCounts,
      shardPrefix: this.#keys.shardPrefix,
      shardId,
      shardCount,
      token,
      ttlMs: this.ttlMs,
      log: this.#log,
      onReleased,
    });
  }

  /** One claim: held, held by another claim (with its remaining TTL), or refused for another count. */
  async #claim(
    key: string,
    token: string,
    shardId: number,
    shardCount: number | undefined,
    signal: AbortSignal,
  ): Promise<Claim> {
    const operation = `claim the lease of shard ${shardId}`;
    const reply = await withRetries(
      { operation, shardId },
      () =>
        CLAIM_LEASE.run(
          this.#redis,
          [key, this.#keys.shardCounts],
          [token, this.ttlMs, shardCount ?? '', shardId, this.#keys.shardPrefix],
        ),
      this.#retry,
      { signal },
    );
    const parts = Array.isArray(reply) ? (reply as unknown[]) : [];
    const [state] = parts;
    if (state === 2 && parts.length === 5) {
      const [, otherShardCount, otherShardId, remainingMs, owner] = parts;
      return {
        state: 'otherCount',
        otherShardCount: Number(otherShardCount),
        otherShardId: Number(otherShardId),
        remainingMs: Number(remainingMs),
        owner: String(owner),
      };
    }
    if ((state === 0 || state === 1) && parts.length === 3) {
      return {
        state: state === 1 ? 'held' : 'heldElsewhere',
        holder: String(parts[1]),
        remainingMs: Number(parts[2]),
      };
    }
    throw new RedisOperationError(operation, shardId, {
      cause: new Error(`unexpected reply ${JSON.stringify(reply)}`),
    });
  }
}

/** What one claim found. */
type Claim =
  | { state: 'held' | 'heldElsewhere'; holder: string; remainingMs: number }
  | {
      state: 'otherCount';
      otherShardCount: number;
      otherShardId: number;
      remainingMs: number;
      owner: string;
    };

/**
 * How a lease waited for came free: its holder released it (it was gone before it would have
 * expired), or it expired. Redis losing the key reads as a release; the log line is all it feeds.
 */
function afterText(previous: { holder: string; endsAt: number }): string {
  return steadyNow() < previous.endsAt
    ? `after process "${previous.holder}" released it`
    : `after the lease of process "${previous.holder}" expired`;
}
