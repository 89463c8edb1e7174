import type { SessionInfo, SessionStore } from '@bot/gateway';

/**
 * How far a shard's events of one session may count as handled (`Dispatcher.handledCap`): a seq,
 * or `undefined` when every event of it read is.
 */
export type HandledCap = (shardId: number, sessionId: string) => number | undefined;

/**
 * The session store a client's in-process shards are given: the user's store, with every session
 * written capped at how far its shard's events are handled, and `durableSeq` capped there too, so
 * heartbeats and resumes acknowledge no further. A shard reads its events ahead of the handlers
 * (they queue in its lane); without the cap, a process killed with a backlog, or a shutdown that
 * gave up on one, left a session that resumes after events no handler finished, and the next
 * process never got them. With it, the next process resumes from the handled point and the
 * platform replays what was queued (at least once: an event handled after the last write is
 * handled again).
 */
export class HandledSessionStore implements SessionStore {
  readonly #store: SessionStore;
  readonly #handledCap: HandledCap;
  /**
   * {@inheritDoc SessionStore.durableSeq}
   *
   * The store's own answer (every seq, for a store that cannot tell) capped at the last event
   * handled; `Infinity` when neither limits it. Absent when the store has none and the shards
   * run on worker threads, which would then wait to be told before acknowledging anything.
   */
  public readonly durableSeq?: (shardId: number, sessionId: string) => number | undefined;

  /**
   * @param store - where the sessions live
   * @param handledCap - how far each shard's events are handled
   * @param shardsInProcess - whether the shards run in this process (they ask `durableSeq` as they
   *   beat); on worker threads, `durableSeq` is offered only when `store` has one
   */
  public constructor(store: SessionStore, handledCap: HandledCap, shardsInProcess: boolean) {
    this.#store = store;
    this.#handledCap = handledCap;
    if (shardsInProcess || store.durableSeq !== undefined) {
      this.durableSeq = (shardId, sessionId) => this.#durableSeq(shardId, sessionId);
    }
  }

  /** {@inheritDoc SessionStore.get} */
  public get(shardId: number): Promise<SessionInfo | undefined> {
    return this.#store.get(shardId);
  }

  /** {@inheritDoc SessionStore.set}; its seq capped at the last event handled. */
  public set(shardId: number, session: SessionInfo): Promise<void> {
    const cap = this.#handledCap(shardId, session.sessionId);
    if (cap === undefined || session.seq <= cap) return this.#store.set(shardId, session);
    return this.#store.set(shardId, { ...session, seq: Math.max(0, cap) });
  }

  /** {@inheritDoc SessionStore.delete} */
  public delete(shardId: number): Promise<void> {
    return this.#store.delete(shardId);
  }

  #durableSeq(shardId: number, sessionId: string): number | undefined {
    const store = this.#store;
    const durable =
      store.durableSeq === undefined ? Number.POSITIVE_INFINITY : store.durableSeq(shardId, sessionId);
    if (durable === undefined) return undefined;
    const cap = this.#handledCap(shardId, sessionId);
    return cap === undefined ? durable : Math.min(durable, Math.max(0, cap));
  }
}
