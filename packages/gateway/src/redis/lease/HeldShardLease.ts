import type { Redis } from 'ioredis';
import { Deferred, messageOf, type BotLogger } from '@bot/core';
import type { ShardLease } from '../../manager/ShardLeases.js';
import { withTimeout } from '../support/retry.js';
import { RELEASE_LEASE, RENEW_LEASE } from './scripts.js';
import { ShardLeaseError } from './ShardLeaseError.js';

/** What a {@link HeldShardLease} works with. */
export interface HeldLeaseSettings {
  redis: Redis;
  /** The lease's key. */
  key: string;
  shardId: number;
  /** This process's owner id. */
  owner: string;
  ttlMs: number;
  log: BotLogger;
}

/**
 * A shard's lease while this process holds it: renewed every third of its TTL (only while it is
 * still ours), given up on release. A renewal that finds another owner settles {@link lost}; one
 * that cannot reach Redis leaves the shard running (warned once per outage) and tries again on
 * the next tick. docs/redis-deployment.md, "One process per shard".
 */
export class HeldShardLease implements ShardLease {
  readonly #settings: HeldLeaseSettings;
  readonly #lost = new Deferred<Error>();
  readonly #timer: NodeJS.Timeout;
  #renewing = false;
  #unreachable = false;
  #released: Promise<void> | undefined;

  /** @param settings - Redis, key, shard, owner, TTL and logger; the lease is held already */
  public constructor(settings: HeldLeaseSettings) {
    this.#settings = settings;
    this.#timer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(settings.ttlMs / 3)));
    this.#timer.unref();
  }

  /** {@inheritDoc ShardLease.lost} */
  public get lost(): Promise<Error> {
    return this.#lost.promise;
  }

  /** {@inheritDoc ShardLease.release} */
  public release(): Promise<void> {
    this.#released ??= this.#giveUp();
    return this.#released;
  }

  async #renew(): Promise<void> {
    if (this.#renewing || this.#released !== undefined) return;
    this.#renewing = true;
    const { redis, key, owner, ttlMs, shardId, log } = this.#settings;
    try {
      const holder = await withTimeout(RENEW_LEASE.run(redis, [key], [owner, ttlMs]), this.#tickMs());
      if (this.#unreachable) log.info(`renewed the lease of shard ${shardId} again`);
      this.#unreachable = false;
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
        log.warn(
          `could not renew the lease of shard ${shardId} (${messageOf(error)}); the shard keeps running ` +
            `and the renewal is tried every ${this.#tickMs()} ms`,
        );
      }
      this.#unreachable = true;
    } finally {
      this.#renewing = false;
    }
  }

  async #giveUp(): Promise<void> {
    clearInterval(this.#timer);
    if (this.#lost.settled) return; // another process holds it: nothing of ours to delete
    const { redis, key, owner, ttlMs, shardId, log } = this.#settings;
    try {
      await withTimeout(RELEASE_LEASE.run(redis, [key], [owner]), Math.min(ttlMs, 5_000));
    } catch (error) {
      log.warn(
        `could not release the lease of shard ${shardId} (${messageOf(error)}); ` +
          `another process may start it once the lease expires, within ${ttlMs} ms`,
      );
    }
  }

  #tickMs(): number {
    return Math.max(1, Math.floor(this.#settings.ttlMs / 3));
  }
}
