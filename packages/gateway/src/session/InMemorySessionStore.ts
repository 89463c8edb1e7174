import type { SessionInfo, SessionStore } from './SessionStore.js';

/**
 * The default {@link SessionStore}: sessions survive reconnects and shard restarts within this
 * process, not a process restart. Keep one instance across `ShardManager`s to hand sessions over.
 */
export class InMemorySessionStore implements SessionStore {
  readonly #sessions = new Map<number, SessionInfo>();

  /** {@inheritDoc SessionStore.get} */
  public get(shardId: number): Promise<SessionInfo | undefined> {
    const session = this.#sessions.get(shardId);
    return Promise.resolve(session && { ...session });
  }

  /** {@inheritDoc SessionStore.set} */
  public set(shardId: number, session: SessionInfo): Promise<void> {
    this.#sessions.set(shardId, { ...session });
    return Promise.resolve();
  }

  /** {@inheritDoc SessionStore.delete} */
  public delete(shardId: number): Promise<void> {
    this.#sessions.delete(shardId);
    return Promise.resolve();
  }
}
