interface Waiter {
  seq: number;
  resolve: () => void;
}

/** Publishes of one shard still waiting for Redis, and who waits for them. */
interface ShardPublishes {
  /** Sequence numbers being published, with how many publishes carry each. */
  outstanding: Map<number, number>;
  waiters: Waiter[];
}

/**
 * How far each shard's dispatches are published. Publishes run concurrently and a retried one
 * may land after later ones, so "the highest published seq" proves nothing about the events
 * before it; what is safe to record as a shard's position is the seq just below its oldest publish
 * still under way. A publish counts once it has settled: appended, recognised as a repeat, or
 * given up on (and reported).
 */
export class PublishWatermark {
  readonly #shards = new Map<number, ShardPublishes>();

  /** A publish of `seq` for `shardId` has started. */
  public begin(shardId: number, seq: number): void {
    const shard = this.#shard(shardId);
    shard.outstanding.set(seq, (shard.outstanding.get(seq) ?? 0) + 1);
  }

  /** A publish of `seq` for `shardId` has settled; wakes those waiting for it. */
  public settle(shardId: number, seq: number): void {
    const shard = this.#shards.get(shardId);
    const count = shard?.outstanding.get(seq);
    if (shard === undefined || count === undefined) return;
    if (count > 1) shard.outstanding.set(seq, count - 1);
    else shard.outstanding.delete(seq);
    const ready = shard.waiters.filter((waiter) => waiter.seq >= seq && this.#clear(shard, waiter.seq));
    if (ready.length > 0) shard.waiters = shard.waiters.filter((waiter) => !ready.includes(waiter));
    if (shard.outstanding.size === 0 && shard.waiters.length === 0) this.#shards.delete(shardId);
    for (const waiter of ready) waiter.resolve();
  }

  /**
   * The highest sequence number up to `seq` whose dispatches, and all before it, are published:
   * `seq` itself unless a publish at or below it is still under way.
   */
  public publishedUpTo(shardId: number, seq: number): number {
    const shard = this.#shards.get(shardId);
    if (shard === undefined) return seq;
    let lowest = seq + 1;
    for (const pending of shard.outstanding.keys()) if (pending < lowest) lowest = pending;
    return Math.max(0, Math.min(seq, lowest - 1));
  }

  /** Resolves once `publishedUpTo(shardId, seq)` is `seq`. */
  public whenPublished(shardId: number, seq: number): Promise<void> {
    const shard = this.#shards.get(shardId);
    if (shard === undefined || this.#clear(shard, seq)) return Promise.resolve();
    return new Promise((resolve) => shard.waiters.push({ seq, resolve }));
  }

  #shard(shardId: number): ShardPublishes {
    let shard = this.#shards.get(shardId);
    if (shard === undefined) {
      shard = { outstanding: new Map(), waiters: [] };
      this.#shards.set(shardId, shard);
    }
    return shard;
  }

  /** Whether no publish at or below `seq` is under way. */
  #clear(shard: ShardPublishes, seq: number): boolean {
    for (const pending of shard.outstanding.keys()) if (pending <= seq) return false;
    return true;
  }
}
