import type { SessionInfo, SessionStore } from './SessionStore.js';
import { sessionInfoProblem } from './sessionInfoProblem.js';
import { SessionWrite, type SessionWriteIntent } from './SessionWrite.js';
import { StoredSessionMalformedError } from './StoredSessionMalformedError.js';
import { SessionWriteTimeoutError } from './SessionWriteTimeoutError.js';

/** How a caller waits for a write it asks for. */
export interface SessionWriteWait {
  /**
   * The caller bounds its wait and reports a write that does not answer in time itself: the
   * write's deadline neither cuts this wait short nor reports it, so the lateness is reported once
   * (`false` by default: the write deadline applies).
   */
  readonly ownDeadline?: boolean;
}

/**
 * One shard's window onto its {@link SessionStore}. A new session is written at once; sequence
 * numbers are written at most once per flush delay (and on {@link SessionCheckpoint.flush}), so a
 * busy shard costs the store a write every few seconds instead of one per event.
 *
 * Writes reach the store one at a time, in call order: the next starts only once the store
 * answered the last, so a late answer never lands over a newer write. While one is under way, what
 * is asked meanwhile collapses into a single pending write of the newest state (the latest session
 * and seq, or its deletion), so a store that stops answering holds one write and one pending, not
 * one per reconnect. Each write has a deadline: past it, it is reported as a
 * {@link SessionWriteTimeoutError} and its callers stop waiting (except a caller that bounds and
 * reports its own wait, {@link SessionWriteWait.ownDeadline}); the write itself still completes
 * before the next one goes. A failed write is reported and does not stop later ones.
 */
export class SessionCheckpoint {
  readonly #store: SessionStore;
  readonly #shardId: number;
  readonly #flushDelayMs: number;
  readonly #writeTimeoutMs: number;
  readonly #onError: (error: unknown) => void;
  #session: SessionInfo | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The write the store was asked for and has not answered. */
  #running: SessionWrite | undefined;
  /** The newest state asked for since, written once the running write is answered. */
  #pending: SessionWrite | undefined;

  /**
   * @param store - where sessions live
   * @param shardId - whose session this is
   * @param flushDelayMs - longest time a new sequence number stays unwritten
   * @param onError - receives failed store operations, and writes that outlast their deadline
   *   (as a {@link SessionWriteTimeoutError})
   * @param writeTimeoutMs - how long a write may take, waiting for an earlier one included, before
   *   it is reported and no longer waited for (5,000 ms by default, as the shard's
   *   `timeouts.sessionStoreMs`)
   */
  public constructor(
    store: SessionStore,
    shardId: number,
    flushDelayMs: number,
    onError: (error: unknown) => void,
    writeTimeoutMs = 5_000,
  ) {
    this.#store = store;
    this.#shardId = shardId;
    this.#flushDelayMs = flushDelayMs;
    this.#writeTimeoutMs = writeTimeoutMs;
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
   * @throws {@link StoredSessionMalformedError} when the store gave back something that is not a
   *   session (the store is the user's code: it is checked before a Resume is built from it)
   */
  public async load(shardCount: number, abandoned?: AbortSignal): Promise<SessionInfo | undefined> {
    const stored: unknown = await this.#store.get(this.#shardId);
    if (abandoned?.aborted) return undefined;
    this.#session = undefined;
    if (stored === undefined || stored === null) return undefined;
    const problem = sessionInfoProblem(stored);
    if (problem !== undefined) throw new StoredSessionMalformedError(problem, this.#shardId);
    const { sessionId, seq, shardCount: storedCount } = stored as SessionInfo;
    if (storedCount === shardCount) this.#session = { sessionId, seq, shardCount };
    return this.current;
  }

  /**
   * Records and writes a fresh session (READY).
   *
   * @returns settles once written, failed (reported) or past the write deadline (reported); never rejects
   */
  public begin(session: SessionInfo): Promise<void> {
    this.#cancelTimer();
    this.#session = { ...session };
    return this.#write({ operation: 'set', session: { ...session } });
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

  /**
   * Writes the current session now, if there is one; with none, waits for the writes under way.
   *
   * @param wait - whether the caller bounds its own wait (the write deadline applies by default)
   * @returns settles once written, failed (reported) or past the write deadline (reported); never rejects
   */
  public flush(wait: SessionWriteWait = {}): Promise<void> {
    this.#cancelTimer();
    const session = this.#session;
    if (session === undefined) {
      const latest = this.#pending ?? this.#running;
      if (latest === undefined) return Promise.resolve();
      return wait.ownDeadline === true ? latest.waitForAnswer() : latest.idle();
    }
    return this.#write({ operation: 'set', session: { ...session } }, wait);
  }

  /**
   * Forgets the session, here and in the store (it was invalidated).
   *
   * @param wait - whether the caller bounds its own wait (the write deadline applies by default)
   * @returns settles once deleted, failed (reported) or past the write deadline (reported); never rejects
   */
  public clear(wait: SessionWriteWait = {}): Promise<void> {
    this.#cancelTimer();
    this.#session = undefined;
    return this.#write({ operation: 'delete' }, wait);
  }

  /** Writes `intent` now, or after the running write, in place of anything pending. */
  #write(intent: SessionWriteIntent, wait: SessionWriteWait = {}): Promise<void> {
    const idle = this.#running === undefined;
    let write: SessionWrite;
    if (idle) write = this.#running = this.#newWrite(intent);
    else if (this.#pending === undefined) write = this.#pending = this.#newWrite(intent);
    else (write = this.#pending).replace(intent);
    const done = wait.ownDeadline === true ? write.waitForAnswer() : write.wait();
    if (idle) void this.#run(write);
    return done;
  }

  #newWrite(intent: SessionWriteIntent): SessionWrite {
    return new SessionWrite(intent, this.#writeTimeoutMs, (late) =>
      this.#onError(
        new SessionWriteTimeoutError(
          late.intent.operation,
          this.#writeTimeoutMs,
          late.reachedStore,
          this.#shardId,
        ),
      ),
    );
  }

  async #run(write: SessionWrite): Promise<void> {
    write.started();
    // A write nobody waits for any more (its waiters' deadline passed while it was pending) is
    // still watched from its start, so a store that stops answering it is reported.
    if (!write.awaited) void write.wait();
    let failure: { error: unknown } | undefined;
    try {
      const intent = write.intent;
      await (intent.operation === 'set'
        ? this.#store.set(this.#shardId, intent.session)
        : this.#store.delete(this.#shardId));
    } catch (error) {
      failure = { error };
    }
    try {
      if (failure !== undefined) this.#onError(failure.error);
    } finally {
      write.answered();
      const next = this.#pending;
      this.#pending = undefined;
      this.#running = next;
      if (next !== undefined) void this.#run(next);
    }
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
