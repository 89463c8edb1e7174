import { isSequence, steadyNow } from '@bot/core';
import type { SessionInfo } from '../session/SessionStore.js';
import type { ShardState, ShardStatus } from '../shard/ShardState.js';

/**
 * A worker shard's status as the main thread knows it: the thread's snapshot at each state change,
 * the latency of each heartbeat, the last sequence number of the dispatches that crossed (or that
 * a handler module finished on the thread), and the reconnects of earlier threads (a new thread's
 * shard counts from 0).
 *
 * A reported op 9 pause (`identifyPause`) is shown until it ends, counted on the steady clock from
 * the report, not until the next snapshot: the thread ends it without a state change when reading
 * is paused (the shard stays `reconnecting`), and its next report may be a while coming. A pause
 * that began before the last {@link StatusMirror.restarted} is not shown: a restart from a `close`
 * listener runs between the close and the report of the pause it started, posted together.
 */
export class StatusMirror {
  #status: ShardStatus;
  #earlierReconnects = 0;
  /** When the reported `identifyPause` ends, on the steady clock (`steadyNow()`). */
  #pauseEndsAt = 0;
  /** When the main thread last asked for a restart, in epoch ms (as a pause's `until`). */
  #restartedAt = -Infinity;

  /**
   * @param id - shard id
   * @param total - shard count
   */
  public constructor(id: number, total: number) {
    this.#status = {
      id,
      total,
      state: 'idle',
      latency: undefined,
      seq: null,
      sessionId: undefined,
      reconnects: 0,
      attempt: 0,
      lastCloseCode: undefined,
      paused: false,
    };
  }

  /** The status now (a copy, its `identifyPause` too). */
  public get status(): ShardStatus {
    if (this.#pauseEndsAt <= steadyNow()) this.endIdentifyPause();
    const { identifyPause } = this.#status;
    return identifyPause === undefined
      ? { ...this.#status }
      : { ...this.#status, identifyPause: { ...identifyPause } };
  }

  /**
   * The shard's op 9 pause is over before it would have ended (a restart cuts it short, as a
   * shard's own restart does): the status shows it no longer.
   */
  public endIdentifyPause(): void {
    delete this.#status.identifyPause;
  }

  /**
   * The main thread asked the thread to restart the shard, which ends its op 9 pause: the pause
   * shows no longer, nor does one that began before now when a report brings it later.
   */
  public restarted(): void {
    this.#restartedAt = Date.now();
    this.endIdentifyPause();
  }

  /** Current state. */
  public get state(): ShardState {
    return this.#status.state;
  }

  /** Whether the main thread paused the shard's reading. */
  public get paused(): boolean {
    return this.#status.paused;
  }

  public set paused(paused: boolean) {
    this.#status.paused = paused;
  }

  /** The session to resume: its id as last reported, with the last sequence number seen here. */
  public get session(): SessionInfo | undefined {
    const { sessionId, seq, total } = this.#status;
    return sessionId === undefined || seq === null ? undefined : { sessionId, seq, shardCount: total };
  }

  /**
   * A dispatch of the current session crossed with sequence number `seq`: only a valid one (an
   * integer ≥ 0) moves the resume point, as on the shard, which delivers a dispatch with a bad
   * seq (`1e400` reads as `Infinity`) but resumes from the last good one.
   */
  public sawSeq(seq: unknown): void {
    if (isSequence(seq) && seq > (this.#status.seq ?? -1)) this.#status.seq = seq;
  }

  /** A heartbeat was acknowledged after `latency` ms. */
  public sawHeartbeat(latency: number): void {
    this.#status.latency = latency;
  }

  /** A connection closed with `code`. */
  public sawClose(code: number | undefined): void {
    this.#status.lastCloseCode = code ?? this.#status.lastCloseCode;
  }

  /**
   * The thread's snapshot at a state change, kept with what only the main thread knows. Within one
   * session the higher sequence number wins (dispatches may have crossed after the snapshot was
   * taken); a new session, or none, starts from the snapshot's own, since a number of an earlier
   * session says nothing about this one (resuming there would skip events).
   */
  public report(snapshot: ShardStatus): void {
    const sameSession = snapshot.sessionId !== undefined && snapshot.sessionId === this.#status.sessionId;
    const seq =
      sameSession && snapshot.seq !== null ? Math.max(snapshot.seq, this.#status.seq ?? -1) : snapshot.seq;
    this.#status = {
      ...snapshot,
      seq,
      reconnects: snapshot.reconnects + this.#earlierReconnects,
      paused: this.#status.paused,
    };
    const pause = snapshot.identifyPause;
    if (pause === undefined) return;
    // Began before the restart that ended it (same millisecond included: a new pause needs a new
    // connection first).
    if (pause.until - pause.ms <= this.#restartedAt) {
      this.endIdentifyPause();
      return;
    }
    this.#status.identifyPause = { ...pause };
    // Never more than the pause's length: the wall clock may have stepped back since the report.
    this.#pauseEndsAt = steadyNow() + Math.min(pause.until - Date.now(), pause.ms);
  }

  /**
   * Moves to `state` (the main thread's own move: its thread was lost, or the shard failed for
   * good or closed); returns the state before. The thread's pause before its next Identify ends
   * with it (a lost thread's pause is kept by the worker shard, whose next start waits for it).
   */
  public moveTo(state: ShardState): ShardState {
    const previous = this.#status.state;
    this.#status.state = state;
    delete this.#status.identifyPause;
    return previous;
  }

  /** The thread was lost: one more reconnect, which the next thread's counts start after. */
  public lostThread(): void {
    this.#earlierReconnects = this.#status.reconnects + 1;
    this.#status.reconnects = this.#earlierReconnects;
  }
}
