import type { Redis } from 'ioredis';
import { Deferred, type BotLogger } from '@bot/core';
import type { ShardLease } from '../../manager/ShardLeases.js';
import { RedisOperationError } from '../RedisOperationError.js';
import { withTimeout } from '../support/retry.js';
import { RELEASE_LEASE, RENEW_LEASE } from './scripts.js';
import { ShardLeaseError } from './ShardLeaseError.js';

/** What a {@link HeldShardLease} works with. */
export interface HeldLeaseSettings {
  redis: Redis;
  /** The lease's key. */
  key: string;
  /** The set of the leases' shard counts (`RedisKeys.shardCounts`). */
  countsKey: string;
  /** The start of every lease key (`RedisKeys.shardPrefix`), to name another count's holder. */
  shardPrefix: string;
  shardId: number;
  /** The shard count it runs with, recorded with the lease; unknown when the caller gave none. */
  shardCount: number | undefined;
  /** What this claim wrote into the key: the owner name and a random suffix of the claim. */
  token: string;
  ttlMs: number;
  log: BotLogger;
  /** Told once the lease is released, whether it was still ours or not. */
  onReleased: () => void;
}

/**
 * A shard's lease while this process holds it: renewed every third of its TTL (only while the key
 * still holds this claim's token), given up on release. A renewal that finds another owner settles {@link lost}; one
 * that cannot reach Redis leaves the shard running (warned once per outage) and tries again on
 * the next tick. docs/redis-deployment.md, "One process per shard".
 */
export class HeldShardLease implements ShardLease {
  readonly #settings: HeldLeaseSettings;
  readonly #lost = new Deferred<Error>();
  readonly #timer: NodeJS.Timeout;
  #renewing = false;
  #unreachable = false;
  /** The other shard count last reported, so a conflict is reported once, not on every renewal. */
  #otherCount: string | undefined;
  #released: Promise<void> | undefined;

  /** @param settings - Redis, key, shard, token, TTL and logger; the lease is held already */
  public constructor(settings: HeldLeaseSettings) {
    this.#settings = settings;
    this.#timer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(settings.ttlMs / 3)));
    this.#timer.unref();
  }

  /** {@inheritDoc ShardLease.lost} */
  public get lost(): Promise<Error> {
    return this.#lost.promise;
  }

  /**
   * {@inheritDoc ShardLease.release}
   *
   * @param timeoutMs - how long to wait for Redis's answer (at most the TTL, and 5 s); with no time
   *   left the release is sent without waiting
   */
  public release(timeoutMs?: number): Promise<void> {
    this.#released ??= this.#giveUp(timeoutMs);
    return this.#released;
  }

  async #renew(): Promise<void> {
    if (this.#renewing || this.#released !== undefined) return;
    this.#renewing = true;
    const { redis, key, countsKey, shardPrefix, token, ttlMs, shardId, shardCount, log } = this.#settings;
    try {
      const reply = await withTimeout(
        RENEW_LEASE.run(redis, [key, countsKey], [token, ttlMs, shardCount ?? '', shardId, shardPrefix]),
        this.#tickMs(),
      );
      if (this.#unreachable) log.info(`renewed the lease of shard ${shardId} again`);
      this.#unreachable = false;
      const [holder, otherCount, otherShard, otherHolder] = Array.isArray(reply)
        ? (reply as unknown[]).map(String)
        : [];
      this.#reportOtherCount(otherCount, otherShard, otherHolder);
      if (typeof holder === 'string' && holder !== '' && this.#released === undefined) {
        clearInterval(this.#timer);
        log.error(`shard ${shardId}: process "${holder}" took its lease over; stopping it here`);
        this.#lost.resolve(
          new ShardLeaseError(
            shardId,
            holder,
            'takenOver',
            'found on renewing it, after it had expired here',
          ),
        );
      }
    } catch (error) {
      if (!this.#unreachable) {
        // Worded as every Redis failure is ("not connected (the client is reconnecting)", …).
        const failure = new RedisOperationError(`renew the lease of shard ${shardId}`, shardId, {
          cause: error,
          outcome: `the shard keeps running and the renewal is tried every ${this.#tickMs()} ms`,
        });
        log.warn(failure.message);
      }
      this.#unreachable = true;
    } finally {
      this.#renewing = false;
    }
  }

  /**
   * Reports a live lease of another shard count once (again only after it was gone): it was
   * started past the check of `acquire` (an older version, or Redis lost the records), and guilds
   * of some shards now go to shards nobody runs. The shard keeps running: stopping it would lose
   * its guilds' events too.
   */
  #reportOtherCount(otherCount?: string, otherShard?: string, otherHolder?: string): void {
    if (otherCount === undefined || otherCount === this.#otherCount) {
      if (otherCount === undefined) this.#otherCount = undefined;
      return;
    }
    this.#otherCount = otherCount;
    const { shardId, shardCount, log } = this.#settings;
    log.error(
      `shard ${shardId} of ${shardCount} runs here, but process "${otherHolder}" runs shard ${otherShard} ` +
        `of ${otherCount}: processes of two shard counts leave the guilds of some shards to shards ` +
        `nobody runs. Stop the processes of one of the two counts`,
    );
  }

  async #giveUp(timeoutMs: number | undefined): Promise<void> {
    clearInterval(this.#timer);
    this.#settings.onReleased();
    if (this.#lost.settled) return; // another process holds it: nothing of ours to delete
    const { redis, key, countsKey, token, ttlMs, shardId, shardCount, log } = this.#settings;
    const waitMs = Math.min(timeoutMs ?? ttlMs, ttlMs, 5_000);
    const releasing = RELEASE_LEASE.run(redis, [key, countsKey], [token, shardCount ?? '', shardId]);
    if (waitMs <= 0) {
      // The shutdown's deadline has passed: sent all the same, so the next owner likely need not wait.
      releasing.catch(() => undefined);
      return;
    }
    try {
      await withTimeout(releasing, waitMs);
    } catch (error) {
      const failure = new RedisOperationError(`release the lease of shard ${shardId}`, shardId, {
        cause: error,
        outcome: `another process may start it once the lease expires, within ${ttlMs} ms`,
      });
      log.warn(failure.message);
    }
  }

  #tickMs(): number {
    return Math.max(1, Math.floor(this.#settings.ttlMs / 3));
  }
}
