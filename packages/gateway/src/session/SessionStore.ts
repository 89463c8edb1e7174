/** What a shard needs to resume its session, possibly from another process. */
export interface SessionInfo {
  /** Session id from READY. */
  sessionId: string;
  /** Last sequence number received (as of the last flush). */
  seq: number;
  /** Shard count the session was identified with; a session is only resumed with the same count. */
  shardCount: number;
}

/**
 * Where shards keep their sessions, so a restarted process resumes instead of identifying (which
 * costs a session start from the daily budget and loses the events in between). Implementations
 * may be remote (Redis, a database); every method may be asynchronous. Shards write the session on
 * READY, the sequence number on a debounce and at shutdown, never once per event.
 */
export interface SessionStore {
  /** Returns the stored session of a shard, if any. */
  get(shardId: number): Promise<SessionInfo | undefined>;
  /** Stores (replaces) the session of a shard. */
  set(shardId: number, session: SessionInfo): Promise<void>;
  /** Forgets the session of a shard: it was invalidated, or the shard shut down for good. */
  delete(shardId: number): Promise<void>;
  /**
   * The highest sequence number of session `sessionId` the store holds durably, if it knows one.
   * A store that implements it makes heartbeats and resumes report this seq instead of the last
   * one read, so the platform is never told of an event a restarted process could not resume
   * after (a strict platform refuses a resume from behind what was acknowledged). Optional: without
   * it, shards report the last seq read; a seq past the last one read (`Infinity`) limits nothing.
   * See docs/redis-deployment.md, "Durable sequence".
   */
  durableSeq?(shardId: number, sessionId: string): number | undefined;
}
