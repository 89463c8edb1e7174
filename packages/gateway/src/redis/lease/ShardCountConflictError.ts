import { BotError } from '@bot/core';

/** What a {@link ShardCountConflictError} was raised for. */
export interface ShardCountConflict {
  /** The shard that was not started. */
  shardId: number;
  /** The shard count it was started with. */
  shardCount: number;
  /** The count of the live lease found. */
  otherShardCount: number;
  /** The shard of that lease. */
  otherShardId: number;
  /** What that lease holds: its process's owner name and a suffix of its claim. */
  owner: string;
  /** How long that lease lives unless renewed, in milliseconds. */
  remainingMs: number;
}

/**
 * A process of another shard count runs a shard of this bot (see `RedisShardLeases`), so this
 * `start*` call was refused before any of its shards connected. A guild's events go to shard
 * `guild id mod count`: two counts side by side leave the guilds of some shards to shards nobody
 * runs, and their events are lost without any error. Stop every process of the old count first,
 * or give a deployment meant to be separate its own key prefix.
 */
export class ShardCountConflictError extends BotError {
  /** Discriminant. */
  public readonly kind = 'shardCountConflict' as const;
  /** The shard that was not started. */
  public readonly shardId: number;
  /** The shard count it was started with. */
  public readonly shardCount: number;
  /** The count of the live lease found. */
  public readonly otherShardCount: number;
  /** The shard of that lease. */
  public readonly otherShardId: number;
  /** What that lease holds (`host:pid:random#hex` by default). */
  public readonly owner: string;

  /** @param conflict - the shard refused and the lease of the other count */
  public constructor(conflict: ShardCountConflict) {
    const { shardId, shardCount, otherShardCount: other, otherShardId, owner, remainingMs } = conflict;
    const expiry =
      remainingMs < 0 ? 'it has no expiry' : `its lease expires in ${remainingMs} ms unless renewed`;
    super(
      `shard ${shardId} of ${shardCount} was not started: process "${owner}" runs shard ${otherShardId} ` +
        `of ${other} (${expiry}). Every process of one bot must run the same shard count, or the ` +
        `guilds of some shards are left to shards nobody runs. To change the count, stop every process ` +
        `running ${other} shards first (their leases are released at shutdown, or expire after their ` +
        `ttlMs), then start the processes of ${shardCount}; if the two are meant to be separate ` +
        'deployments, give each its own key prefix',
    );
    this.shardId = shardId;
    this.shardCount = shardCount;
    this.otherShardCount = other;
    this.otherShardId = otherShardId;
    this.owner = owner;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    shardCountConflict: ShardCountConflictError;
  }
}
