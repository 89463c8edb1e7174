/**
 * What a `RedisSessionStore` needs to know of the event publisher fed by the same shards,
 * so a stored sequence number never gets ahead of the events published before it. A
 * `RedisEventPublisher` is one.
 */
export interface PublishedSeqSource {
  /** How long the publisher remembers published event ids, in milliseconds (0: not at all). */
  readonly dedupeWindowMs: number;
  /**
   * The highest sequence number up to `seq` such that every dispatch of the shard at or below it
   * is published: `seq` itself unless a publish at or below it is still waiting for Redis.
   * Only publishes of session `sessionId` (the one followed now by default), and those begun while
   * the shard followed none, count: an old session's publish never holds a new one back.
   */
  publishedUpTo(shardId: number, seq: number, sessionId?: string): number;
  /** Resolves once every dispatch of the shard's session at or below `seq` is published. */
  whenPublished(shardId: number, seq: number, sessionId?: string): Promise<void>;
  /**
   * Names the session a shard's publishes checkpoint: each publish moves that session's stored
   * seq in the same round trip (docs/redis-deployment.md, "Durable sequence").
   *
   * @param shardId - the shard
   * @param sessionId - its session, or `undefined` to stop checkpointing (the session is gone)
   * @param onMissing - called when a publish found the session no longer stored (Redis lost its
   *   data, or the key expired), so the store writes it again
   */
  followSession(shardId: number, sessionId: string | undefined, onMissing?: () => void): void;
  /** The highest seq of the session that a publish has confirmed stored, if any. */
  durableSeq(shardId: number, sessionId: string): number | undefined;
}
