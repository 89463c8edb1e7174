import { BotError } from '@bot/core';

/**
 * Why a shard may not run in this process: another live process holds its lease, so it was not
 * started (`heldElsewhere`), or another process took the lease over while this one ran it
 * (`takenOver`, after Redis lost track of this process), so it was stopped.
 */
export type ShardLeaseConflict = 'heldElsewhere' | 'takenOver';

/**
 * Another process owns a shard (see `RedisShardLeases`). Its `start*` call rejects with this error
 * (a shard already running stops, its call failing the same way), since two processes running one
 * shard would each receive, and answer, every event of it. Each shard must run in exactly one
 * process: make the processes' shard ranges disjoint, or stop the other process first.
 */
export class ShardLeaseError extends BotError {
  /** Discriminant. */
  public readonly kind = 'shardLease' as const;

  /**
   * @param shardId - the shard
   * @param owner - what its lease holds: the holding process's owner name and a suffix of its
   *   claim (`host:pid:random#hex` by default)
   * @param conflict - not started, or stopped after a takeover
   * @param detail - what was seen: how long the owner kept the lease, or when it took it
   */
  public constructor(
    public readonly shardId: number,
    public readonly owner: string,
    public readonly conflict: ShardLeaseConflict,
    detail: string,
  ) {
    const what =
      conflict === 'heldElsewhere'
        ? `shard ${shardId} was not started: process "${owner}" runs it (${detail})`
        : `shard ${shardId} stopped: process "${owner}" took its lease over (${detail})`;
    super(
      `${what}. Each shard must run in exactly one process: check that the shard ranges of your ` +
        'processes do not overlap, or stop the other process, then start the shard again',
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    shardLease: ShardLeaseError;
  }
}
