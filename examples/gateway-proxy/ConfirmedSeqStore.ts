import type { SessionInfo, SessionStore } from '@bot/gateway';

/** A shard's session and a sequence number of it. */
interface SessionSeq {
  sessionId: string;
  seq: number;
}

/**
 * A {@link SessionStore} whose resume point is what the downstream confirmed, not what the shard
 * read. A shard advances its own position as it emits an event; a proxy that still holds that event
 * in its forward queue would lose it in a crash if the store (and the platform, through heartbeats)
 * were told of it. This wrapper:
 *
 * - stores every session at the last seq the downstream confirmed in order (never past it), and
 *   writes it again as confirmations come in, at most once per `minWriteIntervalMs` per shard (a
 *   store is written on a debounce, never once per event), so a restarted process resumes at most
 *   that interval's confirmations behind;
 * - reports that stored seq as {@link ConfirmedSeqStore.durableSeq}, which caps what heartbeats and
 *   resumes acknowledge: the platform keeps everything past it for replay, and a platform that
 *   refuses a resume from behind what was acknowledged (close 4007) never has reason to.
 *
 * Writes of a shard reach the wrapped store one at a time, in order; confirmations that arrive while
 * one is under way or waiting for its interval collapse into one write of the newest seq.
 * {@link ConfirmedSeqStore.close} writes what is left at once. Delivery is at least once: what was
 * confirmed after the last write finished comes again after a crash.
 *
 * Confirmations count only for the session the shard runs: after a new session (a re-identify),
 * events of the old one still queued are forwarded, but their seqs, which count in another
 * session, never reach the new session's stored seq.
 */
export class ConfirmedSeqStore implements SessionStore {
  readonly #inner: SessionStore;
  /** The session each shard runs, as the shard last wrote or read it. */
  readonly #sessions = new Map<number, SessionInfo>();
  /** The last seq of each shard's session the downstream confirmed. */
  readonly #confirmed = new Map<number, SessionSeq>();
  /** The last seq of each shard's session the wrapped store answered a write of. */
  readonly #stored = new Map<number, SessionSeq>();
  /** Each shard's writes, one after another. */
  readonly #chains = new Map<number, Promise<void>>();
  /** Shards with a confirmation write queued and not started. */
  readonly #confirmationQueued = new Set<number>();
  /** Shards whose next confirmation write waits for the interval since their last write. */
  readonly #writeTimers = new Map<number, NodeJS.Timeout>();
  /** When each shard's last write started (ms since the epoch). */
  readonly #lastWriteAt = new Map<number, number>();
  readonly #onError: (error: unknown, shardId: number) => void;
  readonly #minWriteIntervalMs: number;
  #closed = false;
  /** The session each shard's first `get` found, stored by an earlier process. */
  readonly #loaded = new Map<number, SessionSeq>();

  /**
   * @param inner - where sessions live durably (a file, Redis, a database)
   * @param onError - hears of a confirmation write the wrapped store failed (the next one retries);
   *   the shard's own writes report their failures on the manager's `error` event
   * @param minWriteIntervalMs - least time between two confirmation writes of one shard (1,000 ms
   *   by default): the bound on how far behind the store may be, in time
   * @throws RangeError when `minWriteIntervalMs` is negative or not finite
   */
  public constructor(
    inner: SessionStore,
    onError: (error: unknown, shardId: number) => void,
    minWriteIntervalMs = 1_000,
  ) {
    if (!Number.isFinite(minWriteIntervalMs) || minWriteIntervalMs < 0) {
      throw new RangeError(`minWriteIntervalMs must be a finite number >= 0; got ${minWriteIntervalMs}`);
    }
    this.#inner = inner;
    this.#onError = onError;
    this.#minWriteIntervalMs = minWriteIntervalMs;
  }

  /** {@inheritDoc SessionStore.get} */
  public async get(shardId: number): Promise<SessionInfo | undefined> {
    const session = await this.#inner.get(shardId);
    if (session !== undefined) {
      // Stored means confirmed: the shard resumes from here and the platform replays what follows.
      const at = { sessionId: session.sessionId, seq: session.seq };
      if (!this.#loaded.has(shardId)) this.#loaded.set(shardId, at);
      this.#sessions.set(shardId, { ...session });
      this.#confirmed.set(shardId, at);
      this.#stored.set(shardId, at);
    }
    return session;
  }

  /** {@inheritDoc SessionStore.set} Stores `session` at the seq confirmed, never past it. */
  public set(shardId: number, session: SessionInfo): Promise<void> {
    this.#sessions.set(shardId, { ...session });
    return this.#chain(shardId, () => this.#write(shardId));
  }

  /** {@inheritDoc SessionStore.delete} */
  public delete(shardId: number): Promise<void> {
    this.#sessions.delete(shardId);
    clearTimeout(this.#writeTimers.get(shardId));
    this.#writeTimers.delete(shardId);
    this.#confirmed.delete(shardId);
    this.#stored.delete(shardId);
    return this.#chain(shardId, () => this.#inner.delete(shardId));
  }

  /**
   * {@inheritDoc SessionStore.durableSeq}
   *
   * The last confirmed seq the wrapped store holds: heartbeats and resumes acknowledge no further.
   */
  public durableSeq(shardId: number, sessionId: string): number | undefined {
    const stored = this.#stored.get(shardId);
    return stored?.sessionId === sessionId ? stored.seq : undefined;
  }

  /**
   * The downstream confirmed every event of `sessionId` up to `seq`, in order. Written to the
   * wrapped store within `minWriteIntervalMs` (or at {@link ConfirmedSeqStore.close}); a
   * confirmation of a session the shard no longer runs, or after `close`, is ignored.
   */
  public confirm(shardId: number, sessionId: string, seq: number): void {
    if (this.#closed) return;
    if (this.#sessions.get(shardId)?.sessionId !== sessionId) return;
    const confirmed = this.#confirmed.get(shardId);
    if (confirmed?.sessionId === sessionId && confirmed.seq >= seq) return;
    this.#confirmed.set(shardId, { sessionId, seq });
    if (this.#confirmationQueued.has(shardId) || this.#writeTimers.has(shardId)) return;
    const waitMs = (this.#lastWriteAt.get(shardId) ?? -Infinity) + this.#minWriteIntervalMs - Date.now();
    if (waitMs <= 0) return this.#queueConfirmationWrite(shardId);
    const timer = setTimeout(() => {
      this.#writeTimers.delete(shardId);
      this.#queueConfirmationWrite(shardId);
    }, waitMs);
    this.#writeTimers.set(shardId, timer);
  }

  /** The session an earlier process stored for the shard, as this process first read it. */
  public loadedSession(shardId: number): { sessionId: string; seq: number } | undefined {
    const loaded = this.#loaded.get(shardId);
    return loaded && { ...loaded };
  }

  /** The last seq of `sessionId` the downstream confirmed, whether stored yet or not. */
  public confirmedSeq(shardId: number, sessionId: string): number | undefined {
    const confirmed = this.#confirmed.get(shardId);
    return confirmed?.sessionId === sessionId ? confirmed.seq : undefined;
  }

  /**
   * Writes every confirmation not yet stored at once, clears the interval timers, and settles once
   * the wrapped store answered; later confirmations are ignored. The shards' own writes (at their
   * shutdown) still go through. For an orderly stop, after the forward queue has closed.
   */
  public async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#writeTimers.values()) clearTimeout(timer);
    this.#writeTimers.clear();
    // Every shard whose store is behind, waiting for its interval or after a failed write.
    for (const [shardId, confirmed] of this.#confirmed) {
      const stored = this.#stored.get(shardId);
      if (stored?.sessionId !== confirmed.sessionId || stored.seq < confirmed.seq) {
        this.#queueConfirmationWrite(shardId);
      }
    }
    await this.settled();
  }

  /** Settles once every write asked for so far has been answered (for an orderly shutdown). */
  public async settled(): Promise<void> {
    await Promise.allSettled([...this.#chains.values()]);
  }

  /** Queues one write of the shard's newest confirmation behind its other writes. */
  #queueConfirmationWrite(shardId: number): void {
    if (this.#confirmationQueued.has(shardId)) return;
    this.#confirmationQueued.add(shardId);
    void this.#chain(shardId, () => {
      this.#confirmationQueued.delete(shardId);
      return this.#write(shardId);
    }).catch((error: unknown) => {
      try {
        this.#onError(error, shardId);
      } catch {
        // A listener that throws must not leave the rejection unhandled.
      }
    });
  }

  /** Writes the shard's session at its confirmed seq (0 when nothing of it is confirmed yet). */
  async #write(shardId: number): Promise<void> {
    const session = this.#sessions.get(shardId);
    if (session === undefined) return;
    const confirmed = this.#confirmed.get(shardId);
    // Not the seq the shard wrote: that is how far it read, which may be past the downstream.
    const seq = confirmed?.sessionId === session.sessionId ? confirmed.seq : 0;
    this.#lastWriteAt.set(shardId, Date.now());
    await this.#inner.set(shardId, { ...session, seq });
    const stored = this.#stored.get(shardId);
    // A later write may have answered first only if the store reorders; never move backwards.
    if (stored?.sessionId !== session.sessionId || stored.seq < seq) {
      this.#stored.set(shardId, { sessionId: session.sessionId, seq });
    }
  }

  /** Runs `operation` after the shard's earlier writes, whether they succeeded or not. */
  #chain(shardId: number, operation: () => Promise<void>): Promise<void> {
    const previous = this.#chains.get(shardId) ?? Promise.resolve();
    const next = previous.then(operation);
    const tail = next.catch(() => undefined);
    this.#chains.set(shardId, tail);
    void tail.then(() => {
      if (this.#chains.get(shardId) === tail) this.#chains.delete(shardId);
    });
    return next;
  }
}
