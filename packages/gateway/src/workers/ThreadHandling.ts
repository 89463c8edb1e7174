import { isSequence, isThenable, messageOf, wireName } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import type { SessionInfo } from '../session/SessionStore.js';
import type { ShardStatus } from '../shard/ShardState.js';
import type { HandledSeqCell } from './HandledSeqCell.js';
import { HandlerRuns } from './HandlerRuns.js';
import type { Outbox } from './Outbox.js';
import type { ThreadDispatchHandler } from './ThreadHandler.js';
import { toWireError } from './wireError.js';

/** What a thread tells the main thread of one shard's session: its id, and how far it is handled. */
interface HandledSession {
  sessionId: string | undefined;
  seq: number | null;
}

/**
 * What a worker thread with a handler module does with its shards' dispatches: hands each to the
 * handler, holds the handlings still running ({@link HandlerRuns}: bounded, with a deadline), and
 * tells the main thread how far each shard's session is handled instead of how far it was read,
 * in its state reports, its `handled` items and its closed session. That is the main thread's
 * resume point for the shard, so a thread that crashes is resumed before any handling not finished.
 */
export class ThreadHandling {
  readonly #handler: ThreadDispatchHandler;
  readonly #outbox: Outbox;
  readonly #runs: HandlerRuns;
  readonly #sessions = new Map<number, HandledSession>();
  /** Where each shard's handled point is also written, for the main thread to read once this thread ends. */
  readonly #cells = new Map<number, HandledSeqCell>();

  /**
   * @param handler - the thread's handler
   * @param outbox - where reports for the main thread go
   * @param limits - runs held at which reading stops, and how long a run may go unsettled
   * @param onHold - stops (`true`) or restarts (`false`) the thread's reading
   */
  public constructor(
    handler: ThreadDispatchHandler,
    outbox: Outbox,
    limits: { maxRuns: number; timeoutMs: number },
    onHold: (held: boolean) => void,
  ) {
    this.#handler = handler;
    this.#outbox = outbox;
    this.#runs = new HandlerRuns(limits.maxRuns, limits.timeoutMs, {
      onHold,
      onProgress: (id, seq) => this.#progress(id, seq),
      onTimeout: (id, payload, ranMs) => this.#timedOut(id, payload, ranMs, limits.timeoutMs),
    });
  }

  /** Whether reading is stopped until the handler catches up. */
  public get held(): boolean {
    return this.#runs.held;
  }

  /**
   * Hands one dispatch of shard `id` to the handler; a promise it returns counts until it settles.
   *
   * @param seqTaken - whether the shard moved its resume point to the dispatch's seq: only then does
   *   its handling move how far the session is handled (a seq far ahead, or not a seq, is delivered
   *   but resumed from by neither); the shard's host always says, so only a caller that knows the
   *   seq was taken may leave it out
   */
  public dispatch(id: number, total: number, payload: DispatchPayload, seqTaken = true): void {
    const seq = seqTaken && isSequence(payload.s) ? payload.s : undefined;
    let result: unknown;
    try {
      result = this.#handler.dispatch(payload, id, total);
    } catch (error) {
      this.#failed(id, payload, error);
    }
    if (isThenable(result)) {
      const failed = (error: unknown): void => this.#failed(id, payload, error);
      this.#runs.track(id, payload, Promise.resolve(result).then(undefined, failed), seq);
    } else {
      this.#runs.finished(id, seq);
    }
  }

  /**
   * Shard `id` starts here: how far its session is handled is written to `cell` too, which the main
   * thread reads once this thread has ended (what this thread posted may not all have been taken).
   */
  public started(id: number, cell: HandledSeqCell | undefined): void {
    if (cell === undefined) {
      this.#cells.delete(id);
      return;
    }
    this.#cells.set(id, cell);
    const session = this.#sessions.get(id);
    if (session?.sessionId !== undefined) cell.begin(session.sessionId, session.seq ?? 0);
  }

  /**
   * The shard's status for the main thread, its sequence number how far the handler finished; a
   * session first seen here starts from where the shard started it (a resume's sequence number, or
   * a new session's first).
   */
  public statusOf(id: number, status: ShardStatus): ShardStatus {
    let session = this.#sessions.get(id);
    if (session === undefined || session.sessionId !== status.sessionId) {
      if (session !== undefined) this.#runs.newSession(id);
      session = { sessionId: status.sessionId, seq: status.seq };
      this.#sessions.set(id, session);
      if (session.sessionId !== undefined) this.#cells.get(id)?.begin(session.sessionId, session.seq ?? 0);
    }
    return { ...status, seq: session.seq };
  }

  /**
   * How far session `sessionId` of shard `id` is handled: what its heartbeats and resumes may
   * acknowledge (`undefined` before the session is known here).
   */
  public handledSeq(id: number, sessionId: string): number | undefined {
    // What is acknowledged must have crossed first: a handling that finished in this timers phase
    // would otherwise cross only at the Outbox's setImmediate, after the heartbeat, and a crash in
    // between resumes from behind what the platform was told (a strict one answers 4007).
    this.#outbox.flushHandled(id);
    // A new thread's Resume gets the stored seq only because the shard's 'resuming' state reaches
    // statusOf (which registers the session) before the frame is built; else this is undefined
    // and the Resume would ask for seq 0.
    const session = this.#sessions.get(id);
    return session?.sessionId === sessionId ? (session.seq ?? undefined) : undefined;
  }

  /** Resolves once shard `id` has no handling left running. */
  public idle(id: number): Promise<void> {
    return this.#runs.idle(id);
  }

  /**
   * Shard `id` is closed: its session capped at how far it is handled. Handlings of it still
   * running (past the close's grace) tell nothing more, even if the shard starts again here.
   */
  public closed(id: number, session: SessionInfo | undefined): SessionInfo | undefined {
    const handled = this.#sessions.get(id);
    this.#sessions.delete(id);
    this.#cells.delete(id);
    this.#runs.retire(id);
    if (session === undefined || handled?.sessionId !== session.sessionId) return session;
    return { ...session, seq: Math.min(session.seq, handled.seq ?? 0) };
  }

  /** Stops the handlings' deadline timer (the thread is ending). */
  public stop(): void {
    this.#runs.stop();
  }

  /** Every event of shard `id`'s session up to `seq` is handled: the main thread's resume point moves. */
  #progress(id: number, seq: number): void {
    const session = this.#sessions.get(id);
    if (session === undefined) return;
    session.seq = seq;
    // Before the report is queued: what a heartbeat acknowledges is in the cell first.
    this.#cells.get(id)?.advance(seq);
    this.#outbox.handled(id, seq);
  }

  #failed(id: number, payload: DispatchPayload, error: unknown): void {
    const reason = messageOf(error);
    this.#report(
      id,
      `the thread's dispatch handler failed on ${eventOf(payload)}: ${reason}; ` +
        'the next events still come: catch in the handler what it can recover from',
      error,
    );
  }

  #timedOut(id: number, payload: DispatchPayload, ranMs: number, timeoutMs: number): void {
    this.#report(
      id,
      `the thread's dispatch handler has not finished ${eventOf(payload)} after ${Math.round(ranMs)} ms: it now ` +
        `counts as handled, so the shard's resume point may pass it; give the handler's awaited calls deadlines ` +
        `of their own, or raise handlerTimeoutMs (${timeoutMs} ms)`,
      undefined,
    );
  }

  #report(id: number, message: string, cause: unknown): void {
    const error = new GatewayError(message, id, cause === undefined ? undefined : { cause });
    this.#outbox.push([id, 'error', toWireError(error)]);
  }
}

/** An event as messages name it: its name and, when it has one, its id. */
function eventOf(payload: DispatchPayload): string {
  return `${payload.t === undefined ? 'a dispatch' : wireName(payload.t)}${typeof payload.id === 'string' ? ` (event ${wireName(payload.id)})` : ''}`;
}
