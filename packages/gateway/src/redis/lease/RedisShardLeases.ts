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
  /**
   * Names this process in leases, logs and errors (`<host>:<pid>:<random>` by default). Need not
   * be unique: each claim writes it with a random suffix of its own (`<owner>#<hex>`), so two
   * processes given the same name (`os.hostname()` in two containers of one host) still hold a
   * shard one at a time.
   */
  owner?: string;
  /** Retries of each claim before a start fails (3 tries, 10 s each, by default). */
  retry?: RetryPolicy;
  /** Logger; a sub-logger named `shard-leases` is derived from it. */
  logger?: BotLogger;
}

/**
 * One process per shard, kept in Redis: pass it as the manager's `shardLeases` (one manager per
 * instance). Before a shard starts (identifies or resumes), its process claims the key
 * `…:shard:<id>:owner` with `SET NX PX ttlMs`, holding a token of that claim (`<owner>#<hex>`); it
 * renews the lease every third of the TTL while the shard runs, and deletes it when the shard is
 * shut down (both only while the key still holds that token). A shard whose lease another claim
 * holds waits for it to expire (a process killed with SIGKILL leaves its lease until then), logging
 * once which process holds it; when it is still held after twice the TTL, or after the holder's
 * remaining TTL plus this TTL if that is later, the start fails with a {@link ShardLeaseError}, as
 * does a second start of a shard this instance holds already. A running shard whose lease another
 * process took over stops with that error. docs/redis-deployment.md, "One process per shard".
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
   *   after the wait (see the class), or this instance holds it already; a `RedisOperationError`
   *   when Redis cannot be reached to claim it
   */
  public async acquire(shardId: number, signal: AbortSignal): Promise<ShardLease> {
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
    for (;;) {
      signal.throwIfAborted();
      const [held, holder, remainingMs] = await this.#claim(key, token, shardId, signal);
      if (held) {
        if (giveUpAt !== undefined)
          this.#log.info(`shard ${shardId}: took its lease after "${holder}" let it expire`);
        return this.#holding(shardId, key, token);
      }
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
      // Until the lease would end, then look again: a live holder will have renewed it.
      await sleepUnlessAborted(Math.min(remainingMs < 0 ? this.ttlMs / 3 : remainingMs + 1, leftMs), signal);
    }
  }

  /** The lease just claimed with `token`, known to {@link holderOf} until it is released. */
  #holding(shardId: number, key: string, token: string): HeldShardLease {
    this.#held.set(shardId, token);
    const onReleased = (): void => {
      if (this.#held.get(shardId) === token) this.#held.delete(shardId);
    };
    return new HeldShardLease({
      redis: this.#redis,
      key,
      shardId,
      token,
      ttlMs: this.ttlMs,
      log: this.#log,
      onReleased,
    });
  }

  /** One claim: whether it is ours now, the holder, and its remaining TTL. */
  async #claim(
    key: string,
    token: string,
    shardId: number,
    signal: AbortSignal,
  ): Promise<[boolean, string, number]> {
    const reply = await withRetries(
      { operation: `claim the lease of shard ${shardId}`, shardId },
      () => CLAIM_LEASE.run(this.#redis, [key], [token, this.ttlMs]),
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
