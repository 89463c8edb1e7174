import { isSequence, type GatewayPayload } from '@bot/core';

/** Where a shard's latest session starts in its lane: its READY's arrival number and seq. */
interface SessionStart {
  readonly sessionId: string | undefined;
  readonly arrival: number;
  /** The cap while nothing of the session past its READY is handled: READY's seq − 1, at least 0. */
  readonly cap: number;
}

/** What a lane tells about its oldest unfinished event (see `ShardLane.oldestUnfinished`). */
export interface LaneHead {
  /** Its arrival number, or `undefined` when every event has finished. */
  readonly arrival: number | undefined;
  /** Its payload's `s`, as received. */
  readonly seq: unknown;
}

/**
 * The per-shard memory behind `Dispatcher.handledCap`: where the latest session starts in the
 * lane, the last valid cap, and where a shutdown gave up on events. Every answer is O(1).
 */
export class HandledCaps {
  readonly #starts = new Map<number, SessionStart>();
  readonly #lastValid = new Map<number, number>();
  readonly #atAbandon = new Map<number, number>();

  /**
   * A READY was queued: a new session starts at `arrival` in the lane of `shardId`. Events that
   * arrived before it belong to an earlier session, whose higher seqs say nothing of this one.
   *
   * @param shardId - the shard
   * @param arrival - the READY's arrival number in the lane
   * @param ready - the READY payload
   */
  public sessionStarted(shardId: number, arrival: number, ready: GatewayPayload): void {
    const data = ready.d as { session_id?: unknown } | null | undefined;
    const sessionId = typeof data?.session_id === 'string' ? data.session_id : undefined;
    const cap = isSequence(ready.s) ? Math.max(0, ready.s - 1) : 0;
    this.#starts.set(shardId, { sessionId, arrival, cap });
    this.#lastValid.set(shardId, cap);
  }

  /**
   * How far the events of `sessionId` on `shardId` count as handled, given the lane's oldest
   * unfinished event.
   *
   * @param shardId - the shard
   * @param head - the lane's oldest unfinished event
   * @param sessionId - the session asked about; `undefined` for the latest
   * @returns a non-negative integer, or `undefined` when every event of that session read is handled
   */
  public capOf(shardId: number, head: LaneHead, sessionId: string | undefined): number | undefined {
    const live = this.#liveCap(shardId, head, sessionId);
    const atAbandon = this.#atAbandon.get(shardId);
    if (atAbandon === undefined) return live;
    return live === undefined ? atAbandon : Math.min(live, atAbandon);
  }

  /**
   * A shutdown gave up on the events of `shardId` when they were handled up to `cap`: no session is
   * written past it until {@link HandledCaps.readingAgain}.
   */
  public abandoned(shardId: number, cap: number): void {
    this.#atAbandon.set(shardId, cap);
  }

  /** A failed shutdown lets the shards read again: the caps of its abandon point no longer hold. */
  public readingAgain(): void {
    this.#atAbandon.clear();
  }

  #liveCap(shardId: number, head: LaneHead, sessionId: string | undefined): number | undefined {
    if (head.arrival === undefined) return undefined;
    const start = this.#starts.get(shardId);
    if (start !== undefined) {
      const latest = sessionId === undefined || sessionId === start.sessionId;
      const earlierSessionPending = head.arrival < start.arrival;
      // The latest session, while the lane still holds an earlier one's events: none of its own
      // past the READY is handled.
      if (latest && earlierSessionPending) return start.cap;
      // An earlier session whose events have all been handled.
      if (!latest && !earlierSessionPending) return undefined;
    }
    const seq = head.seq;
    if (!isSequence(seq)) {
      // A seq no replay starts from: the cap stays where it last was (it only rises).
      return this.#lastValid.get(shardId) ?? 0;
    }
    const cap = Math.max(0, seq - 1);
    this.#lastValid.set(shardId, cap);
    return cap;
  }
}
