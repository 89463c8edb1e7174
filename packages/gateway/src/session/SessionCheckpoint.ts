import type { SessionInfo, SessionStore } from './SessionStore.js';

/**
 * One shard's window onto its {@link SessionStore}. A new session is written at once; sequence
 * numbers are written at most once per flush delay (and on {@link SessionCheckpoint.flush}), so a
 * busy shard costs the store a write every few seconds instead of one per event. Writes happen in
 * call order; a failed write is reported and does not stop later ones.
 */
export class SessionCheckpoint {
  readonly #store: SessionStore;
  readonly #shardId: number;
  readonly #flushDelayMs: number;
  readonly #onError: (error: unknown) => void;
  #session: SessionInfo | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writes: Promise<void> = Promise.resolve();

  /**
   * @param store - where sessions live
   * @param shardId - whose session this is
   * @param flushDelayMs - longest time a new sequence number stays unwritten
   * @param onError - receives failed store operations
   */
  public constructor(
    store: SessionStore,
    shardId: number,
    flushDelayMs: number,
    onError: (error: unknown) => void,
  ) {
    this.#store = store;
    this.#shardId = shardId;
    this.#flushDelayMs = flushDelayMs;
    this.#onError = onError;
  }

  /** The session as the shard knows it now (possibly ahead of the store). */
  public get current(): SessionInfo | undefined {
    return this.#session && { ...this.#session };
  }

  /**
   * Reads the stored session, keeping it only when it was made for `shardCount` shards.
   *
   * @param abandoned - aborts when the caller stopped waiting: a later answer is ignored
   * @returns the resumable session, or `undefined`
   */
  public async load(shardCount: number, abandoned?: AbortSignal): Promise<SessionInfo | undefined> {
    const stored = await this.#store.get(this.#shardId);
    if (abandoned?.aborted) return undefined;
    this.#session = stored && stored.shardCount === shardCount ? { ...stored } : undefined;
    return this.current;
  }

  /** Records and writes a fresh session (READY). */
  public begin(session: SessionInfo): Promise<void> {
    this.#cancelTimer();
    this.#session = { ...session };
    const snapshot = { ...session };
    return this.#enqueue(() => this.#store.set(this.#shardId, snapshot));
  }

  /** Records a new sequence number; it reaches the store within the flush delay. */
  public advance(seq: number): void {
    if (this.#session === undefined) return;
    this.#session.seq = seq;
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#flushDelayMs);
    this.#timer.unref();
  }

  /** Writes the current session now, if there is one. Resolves when every earlier write is done. */
  public flush(): Promise<void> {
    this.#cancelTimer();
    const session = this.#session;
    if (session === undefined) return this.#writes;
    const snapshot = { ...session };
    return this.#enqueue(() => this.#store.set(this.#shardId, snapshot));
  }

  /** Forgets the session, here and in the store (it was invalidated). */
  public clear(): Promise<void> {
    this.#cancelTimer();
    this.#session = undefined;
    return this.#enqueue(() => this.#store.delete(this.#shardId));
  }

  #enqueue(write: () => Promise<void>): Promise<void> {
    this.#writes = this.#writes.then(write).catch((error: unknown) => this.#onError(error));
    return this.#writes;
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
