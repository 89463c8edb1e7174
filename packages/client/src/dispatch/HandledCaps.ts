import { isSequence, type GatewayPayload } from '@bot/core';
import { SEQ_STEP_LIMIT } from '@bot/gateway';

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
 * lane, the last valid cap, the events numbered far ahead, and where a shutdown gave up on events.
 * Every answer is O(1) (amortised: far arrivals already handled are forgotten as the cap passes).
 */
export class HandledCaps {
  readonly #starts = new Map<number, SessionStart>();
  readonly #lastValid = new Map<number, number>();
  readonly #atAbandon = new Map<number, number>();
  /**
   * Per shard: the shard's resume point as its lane's arrivals tell it, never ahead of the shard's
   * own (see {@link HandledCaps.arrived}).
   */
  readonly #positions = new Map<number, number>();
  /** Per shard: the arrivals numbered far ahead, each with the resume point before it. */
  readonly #farAhead = new Map<number, Map<number, number>>();

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
    if (isSequence(ready.s)) this.#positions.set(shardId, ready.s);
  }

  /**
   * An event was queued at `arrival` in the lane of `shardId`. The shard delivers an event numbered
   * more than `SEQ_STEP_LIMIT` past its resume point (2^53 - 1 from a broken server) without
   * moving that point, and the events after it are numbered on from there: lower than it, though
   * they arrive later. While such an event is the oldest unfinished, the cap is the resume point
   * before it, not its seq - 1, which would count the events waiting behind it as handled.
   *
   * The position kept here moves only by steps the shard takes too, so it is never ahead of the
   * shard's: an event the shard took at its word after a far one (numbered past it) is held to
   * the position before it as well, which only delays the cap until the lane drains. O(1).
   *
   * @param shardId - the shard
   * @param arrival - the event's arrival number in the lane
   * @param payload - the event
   */
  public arrived(shardId: number, arrival: number, payload: GatewayPayload): void {
    const seq = payload.s;
    if (!isSequence(seq)) return;
    const position = this.#positions.get(shardId);
    // Nothing known of the session (a resume after a restart): taken at its word, as the cap was.
    if (position === undefined || (seq > position && seq - position <= SEQ_STEP_LIMIT)) {
      this.#positions.set(shardId, seq);
      return;
    }
    if (seq <= position) return;
    let far = this.#farAhead.get(shardId);
    if (far === undefined) this.#farAhead.set(shardId, (far = new Map()));
    far.set(arrival, position);
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
    const before = this.#farAheadBefore(shardId, head.arrival);
    const cap = before === undefined ? Math.max(0, seq - 1) : Math.min(Math.max(0, seq - 1), before);
    this.#lastValid.set(shardId, cap);
    return cap;
  }

  /**
   * The resume point before the event at `arrival` when it was numbered far ahead, else
   * `undefined`. Forgets the far arrivals before it: they are handled.
   */
  #farAheadBefore(shardId: number, arrival: number): number | undefined {
    const far = this.#farAhead.get(shardId);
    if (far === undefined) return undefined;
    // Arrival order is insertion order: the handled ones are at the front.
    for (const key of far.keys()) {
      if (key >= arrival) break;
      far.delete(key);
    }
    return far.get(arrival);
  }
}
