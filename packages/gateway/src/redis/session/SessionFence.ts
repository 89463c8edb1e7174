/**
 * The shard leases a `RedisSessionStore` respects (`RedisShardLeases` fits): a shard's session is
 * written or deleted only while no other process holds its lease, so a shard stopped after a
 * takeover never overwrites the session of the process that runs it now. docs/redis-deployment.md,
 * "One process per shard".
 */
export interface SessionFence {
  /**
   * What this process's lease of a shard holds in Redis (the token of its claim), so a write is
   * let through only while the lease key holds exactly that; a value no lease holds when this
   * process holds none.
   */
  holderOf(shardId: number): string;
  /** The key of a shard's lease. */
  ownerKey(shardId: number): string;
}

/**
 * What a fenced session script is given besides the session: the lease key (KEYS) and this
 * process's token for the shard (the last ARGV), or nothing without leases (the script then writes unconditionally).
 *
 * @param fence - the store's leases, if any
 * @param shardId - the shard whose session is written
 */
export function fenceArgs(
  fence: SessionFence | undefined,
  shardId: number,
): { keys: string[]; args: string[] } {
  return fence === undefined
    ? { keys: [], args: [] }
    : { keys: [fence.ownerKey(shardId)], args: [fence.holderOf(shardId)] };
}

/** The warning for a write or delete another owner's lease refused. */
export function fencedOffText(shardId: number, holder: string, what: 'store' | 'delete'): string {
  return `did not ${what} the session of shard ${shardId}: process "${holder}" holds its lease and runs it now`;
}
