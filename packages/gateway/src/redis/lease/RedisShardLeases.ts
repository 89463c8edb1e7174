import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import {
  childLogger,
  createLogger,
  optionalInteger,
  requireText,
  sleepUnlessAborted,
  type BotLogger,
} from '@bot/core';
import type { ShardLease, ShardLeases } from '../../manager/ShardLeases.js';
import { RedisKeys, type RedisNamespace } from '../RedisKeys.js';
import { RedisOperationError } from '../RedisOperationError.js';
import type { SessionFence } from '../session/SessionFence.js';
import { withRetries, type RetryPolicy } from '../support/retry.js';
import { HeldShardLease } from './HeldShardLease.js';
import { CLAIM_LEASE } from './scripts.js';
import { ShardLeaseError } from './ShardLeaseError.js';

/** Default {@link RedisShardLeasesOptions.ttlMs}. */
export const DEFAULT_SHARD_LEASE_TTL_MS = 15_000;
/** Shortest lease TTL: renewals every third of it must fit Redis round trips with room to spare. */
const MIN_TTL_MS = 100;
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
  ttlMs?: number;
  /** Names this process in leases and errors (`<host>:<pid>:<random>` by default). */
  owner?: string;
  /** Retries of each claim before a start fails (3 tries, 10 s each, by default). */
  retry?: RetryPolicy;
  /** Logger; a sub-logger named `shard-leases` is derived from it. */
  logger?: BotLogger;
}

/**
 * One process per shard, kept in Redis: pass it as the manager's `shardLeases`. Before a shard
 * starts (identifies or resumes), its process claims the key `…:shard:<id>:owner` with
 * `SET NX PX ttlMs`, holding its owner id; it renews the lease every third of the TTL while the
 * shard runs, and deletes it when the shard is shut down (both only while the lease is still its
 * own). A shard whose lease another process holds waits for it to expire (a process killed with
 * SIGKILL leaves its lease until then), logging once which process holds it; when the holder keeps
 * renewing for twice the TTL, the start fails with a {@link ShardLeaseError}. A running shard
 * whose lease another process took over stops with that error. docs/redis-deployment.md,
 * "One process per shard".
 *
 * @example
 * ```ts
 * const manager = new ShardManager({ ...options, shardLeases: new RedisShardLeases(redis, { appId }) });
 * ```
 */
export class RedisShardLeases implements ShardLeases, SessionFence {
  /** This process's name in the leases it holds. */
  public readonly owner: string;
  /** How long a lease outlives its last renewal, in milliseconds. */
  public readonly ttlMs: number;
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #retry: RetryPolicy;
  readonly #log: BotLogger;

  /**
   * @param redis - a connected client (the one the session store uses fits)
   * @param options - namespace, TTL, owner id, retries and logger
   * @throws {@link ValidationError} for a TTL outside 100 … 600,000 ms, a blank owner, or an
   *   invalid namespace
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
    this.#retry = options.retry ?? {};
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'shard-leases');
  }

  /** The key of a shard's lease, `…:shard:<id>:owner` (for a fenced `RedisSessionStore`). */
  public ownerKey(shardId: number): string {
    return this.#keys.shardOwner(shardId);
  }

  /**
   * {@inheritDoc ShardLeases.acquire}
   *
   * @throws {@link ShardLeaseError} (as a rejection) when another process keeps renewing the lease
   *   for twice the TTL; a `RedisOperationError` when Redis cannot be reached to claim it
   */
  public async acquire(shardId: number, signal: AbortSignal): Promise<ShardLease> {
    const key = this.#keys.shardOwner(shardId);
    const giveUpAt = Date.now() + 2 * this.ttlMs;
    let warned = false;
    for (;;) {
      signal.throwIfAborted();
      const [held, holder, remainingMs] = await this.#claim(key, shardId, signal);
      if (held) {
        if (warned) this.#log.info(`shard ${shardId}: took its lease after "${holder}" let it expire`);
        return new HeldShardLease({
          redis: this.#redis,
          key,
          shardId,
          owner: this.owner,
          ttlMs: this.ttlMs,
          log: this.#log,
        });
      }
      const expiry = remainingMs < 0 ? 'it has no expiry' : `it expires in ${remainingMs} ms unless renewed`;
      if (!warned) {
        this.#log.warn(
          `shard ${shardId}: process "${holder}" holds its lease (${expiry}); waiting for it to end ` +
            `(at most ${2 * this.ttlMs} ms: a process killed without shutting down leaves its lease until it expires)`,
        );
        warned = true;
      }
      const leftMs = giveUpAt - Date.now();
      if (leftMs <= 0) {
        throw new ShardLeaseError(
          shardId,
          holder,
          'heldElsewhere',
          `it kept its lease alive for ${2 * this.ttlMs} ms; ${expiry}`,
        );
      }
      // Until the lease would end, then look again: a live holder will have renewed it.
      await sleepUnlessAborted(Math.min(remainingMs < 0 ? this.ttlMs / 3 : remainingMs + 1, leftMs), signal);
    }
  }

  /** One claim: whether it is ours now, the holder, and its remaining TTL. */
  async #claim(key: string, shardId: number, signal: AbortSignal): Promise<[boolean, string, number]> {
    const reply = await withRetries(
      { operation: `claim the lease of shard ${shardId}`, shardId },
      () => CLAIM_LEASE.run(this.#redis, [key], [this.owner, this.ttlMs]),
      this.#retry,
      { signal },
    );
    if (!Array.isArray(reply) || reply.length !== 3) {
      throw new RedisOperationError(`claim the lease of shard ${shardId}`, shardId, {
        cause: new Error(`unexpected reply ${JSON.stringify(reply)}`),
      });
    }
    const [held, holder, remainingMs] = reply as unknown[];
    return [held === 1, String(holder), Number(remainingMs)];
  }
}
