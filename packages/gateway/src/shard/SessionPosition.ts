import type { SessionCheckpoint } from '../session/SessionCheckpoint.js';
import type { SessionInfo } from '../session/SessionStore.js';

/** How far a session of this shard is stored durably, if known. */
export type DurableSeqOf = (sessionId: string) => number | undefined;

/** What a position needs of its window onto the store. */
export type PositionCheckpoint = Pick<
  SessionCheckpoint,
  'current' | 'load' | 'advance' | 'begin' | 'clear' | 'flush'
>;

/**
 * A checkpoint that holds one session in memory and writes nowhere: the window of a
 * {@link SessionPosition.detached} position, whose changes must never reach the store.
 */
class HeldCheckpoint implements PositionCheckpoint {
  #session: SessionInfo | undefined;

  public constructor(session: SessionInfo) {
    this.#session = { ...session };
  }

  public get current(): SessionInfo | undefined {
    return this.#session && { ...this.#session };
  }

  public load(): Promise<SessionInfo | undefined> {
    return Promise.resolve(this.current);
  }

  public advance(seq: number): void {
    if (this.#session !== undefined) this.#session = { ...this.#session, seq };
  }

  public begin(session: SessionInfo): Promise<void> {
    this.#session = { ...session };
    return Promise.resolve();
  }

  public clear(): Promise<void> {
    this.#session = undefined;
    return Promise.resolve();
  }

  public flush(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Where a shard's session stands: its id and the last sequence number read. The one owner of
 * that state: attempts advance it as dispatches arrive, the shard clears it when the session is
 * invalidated, and every change reaches the {@link SessionCheckpoint} (so the session store).
 */
export class SessionPosition {
  readonly #checkpoint: PositionCheckpoint;
  readonly #shardCount: number;
  readonly #durableSeq: DurableSeqOf | undefined;
  #seq: number | null = null;

  /**
   * @param checkpoint - the shard's window onto its session store
   * @param shardCount - the shard count a session must have been made for to be resumed
   * @param durableSeq - how far a session is stored durably, when the store can tell
   *   (`SessionStore.durableSeq`); heartbeats and resumes then acknowledge no further
   */
  public constructor(checkpoint: PositionCheckpoint, shardCount: number, durableSeq?: DurableSeqOf) {
    this.#checkpoint = checkpoint;
    this.#shardCount = shardCount;
    this.#durableSeq = durableSeq;
  }

  /** The last sequence number read, `null` before the first. */
  public get seq(): number | null {
    return this.#seq;
  }

  /**
   * What heartbeats and resumes tell the platform: the last seq read, capped at what the store
   * holds durably when it can tell (`null` while nothing is). A crashed process then resumes from
   * a stored seq at or past everything acknowledged.
   */
  public get acknowledgeable(): number | null {
    const seq = this.#seq;
    if (seq === null || this.#durableSeq === undefined) return seq;
    const session = this.#checkpoint.current;
    if (session === undefined) return seq;
    const durable = this.#durableSeq(session.sessionId);
    return durable === undefined ? null : Math.min(seq, durable);
  }

  /** The session as known now (possibly ahead of the store), or `undefined` when there is none. */
  public get session(): SessionInfo | undefined {
    return this.#checkpoint.current;
  }

  /**
   * A copy of this position that writes nowhere: the session as it stands, at the seq a Resume
   * would send now (never past what is stored durably, 0 when nothing is). What happens to the
   * copy (dispatches, a READY, op 9) leaves this position and the store as they are; this one may
   * be cleared meanwhile without touching the copy.
   *
   * @returns the copy, or `undefined` when there is no session
   */
  public detached(): SessionPosition | undefined {
    const session = this.session;
    if (session === undefined) return undefined;
    const acknowledgeable = this.acknowledgeable;
    const seq = acknowledgeable === null && this.#seq !== null ? 0 : (acknowledgeable ?? session.seq);
    const copy = new SessionPosition(new HeldCheckpoint({ ...session, seq }), this.#shardCount);
    copy.#seq = seq;
    return copy;
  }

  /** Whether there is a session to resume. */
  public get resumable(): boolean {
    return this.#checkpoint.current !== undefined;
  }

  /**
   * Reads the stored session, kept only when it was made for this shard count.
   *
   * @param abandoned - aborts once the shard stopped waiting: a later answer is then ignored
   * @returns the stored session, or `undefined`
   * @throws whatever the store throws
   */
  public async load(abandoned?: AbortSignal): Promise<SessionInfo | undefined> {
    const stored = await this.#checkpoint.load(this.#shardCount, abandoned);
    if (stored !== undefined) this.#seq = stored.seq;
    return stored;
  }

  /**
   * Moves to sequence number `s` if it is past the last one read (the per-frame path: no
   * allocation).
   *
   * @returns whether `s` was new; `false` for a repeat of what the session already delivered
   */
  public advance(s: number): boolean {
    const last = this.#seq;
    if (last !== null && s <= last) return false;
    this.#seq = s;
    this.#checkpoint.advance(s);
    return true;
  }

  /** An Identify goes out: the new session counts its sequence from scratch. */
  public restartSequence(): void {
    this.#seq = null;
  }

  /** READY named a fresh session: records and writes it at the sequence reached. */
  public begin(sessionId: string): Promise<void> {
    return this.#checkpoint.begin({ sessionId, seq: this.#seq ?? 0, shardCount: this.#shardCount });
  }

  /**
   * Forgets the session here and in the store (it was invalidated). The shard bounds this wait with
   * its store deadline, which reports a late answer, so the write's own deadline stays out of it.
   */
  public clear(): Promise<void> {
    this.#seq = null;
    return this.#checkpoint.clear({ ownDeadline: true });
  }

  /**
   * Writes the session as it stands now. Resolves when every earlier write is done; bounded and
   * reported by the caller, as {@link SessionPosition.clear}.
   */
  public flush(): Promise<void> {
    return this.#checkpoint.flush({ ownDeadline: true });
  }
}
