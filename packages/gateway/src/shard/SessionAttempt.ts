import { Deferred, isSequence, messageOf, describeWireValue, wireName } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import { AnswerDeadline } from './AnswerDeadline.js';
import {
  isDispatch,
  type DispatchPayload,
  type GatewayPayload,
  type GatewayProtocol,
} from '../protocol/GatewayProtocol.js';
import { RESUMABLE_CLOSE_CODE } from './closePolicy.js';
import { GatewayConnection, type ConnectionSettings } from './GatewayConnection.js';
import type { AttemptEnd, AttemptFacts } from './recovery.js';
import type { Introduction } from './Introduction.js';
import type { SessionPosition } from './SessionPosition.js';
import { classifySetupFailure, SETUP_STEP_FAILED, type SetupStep } from './setupFailure.js';
import { SEQ_STEP_LIMIT, SeqReports, SequenceCheck } from './SequenceCheck.js';

/** A step of an attempt towards a session, reported to its shard as it is taken. */
export type AttemptStep = 'resuming' | 'identifying' | 'resumed' | 'identified';

/** How an attempt reports to the shard that runs it; nothing else of the shard is in reach. */
export interface AttemptEvents {
  /** The attempt moved on: after Hello to resuming or identifying, then to a session. */
  progress(step: AttemptStep): void;
  /** An event for the bot. */
  dispatch(payload: DispatchPayload): void;
  /** A heartbeat was acknowledged after `latency` milliseconds; `scheduled`: not one op 1 asked for. */
  heartbeat(latency: number, scheduled: boolean): void;
  debug(message: string): void;
  report(error: Error): void;
}

/** What a shard hands each of its attempts; the same for all of them. */
export interface AttemptSetup {
  /** Connection settings, bar the sequence (which `position` supplies). */
  readonly connection: Omit<ConnectionSettings, 'lastSeq'>;
  /** Time a closing handshake may take, in milliseconds. */
  readonly closeGraceMs: number;
  /** Time the platform has to answer an Identify or a Resume, in milliseconds. */
  readonly sessionAnswerMs: number;
  /** Who the shard is, and how it gets its tokens and identify turns. */
  readonly introduction: Introduction;
  /** The session's position: the attempt resumes from it and advances it. */
  readonly position: SessionPosition;
}

/**
 * One connection attempt of a shard, from opening the socket to its end: after Hello it resumes
 * the session or waits for an identify turn and identifies, then hands out dispatches, advancing
 * the session's position. {@link SessionAttempt.ended} says how it ended; deciding what comes
 * next is the shard's business.
 */
export class SessionAttempt implements AttemptFacts {
  /** Resume or identify; switches to identify when there turns out to be no session. */
  public mode: 'resume' | 'identify';
  /** A Resume frame went out. */
  public resumeSent = false;
  /** An Identify frame went out. */
  public identifySent = false;
  /** READY or RESUMED arrived. */
  public reachedReady = false;
  /** The last seq read when the Resume went out; `undefined` before one did. */
  #seqAtResume: number | null | undefined;
  /** The access token sent, so a refused one can be reported back to the token source. */
  public token: string | undefined;
  readonly #events: AttemptEvents;
  readonly #introduction: Introduction;
  readonly #position: SessionPosition;
  readonly #protocol: GatewayProtocol;
  readonly #closeGraceMs: number;
  readonly #connection: GatewayConnection;
  readonly #controller = new AbortController();
  readonly #ended = new Deferred<AttemptEnd>();
  readonly #answer: AnswerDeadline;
  readonly #seqCheck = new SequenceCheck();
  readonly #seqReports = new SeqReports();

  /**
   * Opens the socket at once.
   *
   * @param setup - what the shard hands every attempt
   * @param events - where the attempt reports
   * @param mode - what to do after Hello
   */
  public constructor(setup: AttemptSetup, events: AttemptEvents, mode: 'resume' | 'identify') {
    const { position, introduction } = setup;
    this.#events = events;
    this.#introduction = introduction;
    this.#position = position;
    this.#protocol = setup.connection.protocol;
    this.#closeGraceMs = setup.closeGraceMs;
    this.mode = mode;
    const answerMs = setup.sessionAnswerMs;
    this.#answer = new AnswerDeadline(answerMs, () => this.#unanswered(answerMs));
    this.#connection = new GatewayConnection(
      { ...setup.connection, lastSeq: () => position.acknowledgeable },
      {
        hello: (interval) => {
          events.debug(`Hello: heartbeat every ${interval} ms`);
          void this.#greet();
        },
        payload: (payload) => this.#onPayload(payload),
        heartbeat: (latency, scheduled) => events.heartbeat(latency, scheduled),
        ended: (end) => this.finish(end),
        debug: (message) => events.debug(message),
        error: (error) =>
          events.report(new GatewayError(error.message, introduction.shardId, { cause: error })),
      },
    );
  }

  /**
   * Whether events past the Resume's seq arrived: the platform accepted the resume. Read once the
   * attempt ended, so the frame path does no work for it.
   */
  public get resumeProgressed(): boolean {
    const from = this.#seqAtResume;
    return from !== undefined && (this.#position.seq ?? -1) > (from ?? -1);
  }

  /** Whether the attempt has ended (its {@link SessionAttempt.ended} settled), however it ended. */
  public get over(): boolean {
    return this.#ended.settled;
  }

  /** Settles with the reason the attempt ended. */
  public get ended(): Promise<AttemptEnd> {
    return this.#ended.promise;
  }

  /** Records how the attempt ended and cancels its pending waits; later calls are ignored. */
  public finish(end: AttemptEnd): void {
    if (this.#ended.settled) return;
    this.#answer.clear();
    this.#controller.abort();
    // Ended before the count is told: a listener that restarts or closes the shard on that report
    // calls here again, and must find the attempt over.
    this.#ended.resolve(end);
    const counted = this.#seqReports.summary();
    if (counted !== undefined) this.#events.report(new GatewayError(counted, this.#introduction.shardId));
  }

  /** Ends the attempt by the shard's own decision, keeping the session resumable server-side. */
  public abandon(end: AttemptEnd): void {
    void this.#connection.close(RESUMABLE_CLOSE_CODE, this.#closeGraceMs);
    this.finish(end);
  }

  /** Closes the socket with `code`, waiting at most `graceMs` for the closing handshake. */
  public close(code: number, graceMs: number): Promise<void> {
    return this.#connection.close(code, graceMs);
  }

  /** Stops reading the socket; heartbeats go on (see {@link GatewayConnection.pause}). */
  public pause(): void {
    this.#answer.pause();
    this.#connection.pause();
  }

  /** Reads the socket again, held frames first. */
  public resume(): void {
    // The clock runs again before the held frames are read: one of them may be the answer.
    this.#answer.resume();
    this.#connection.resume();
  }

  /** Sends an ordinary frame through the connection's limiter. */
  public send(payload: GatewayPayload): Promise<void> {
    return this.#connection.send(payload);
  }

  /** Milliseconds until the connection's outbound budget is full again. */
  public msUntilSendWindowReset(): number {
    return this.#connection.msUntilSendWindowReset();
  }

  /** After Hello: resume the session if there is one to resume, otherwise identify. */
  async #greet(): Promise<void> {
    const introduction = this.#introduction;
    const { tokens, shardId } = introduction;
    const position = this.#position;
    const { signal } = this.#controller;
    const session = position.session;
    let step: SetupStep = 'accessToken';
    try {
      if (this.mode === 'resume' && session !== undefined) {
        this.#events.progress('resuming');
        const accessToken = await tokens.get({ signal });
        if (signal.aborted) return;
        this.token = accessToken;
        this.resumeSent = true;
        this.#seqAtResume = position.seq;
        // Never past what is stored durably: a strict platform refuses a later resume from behind it.
        // A store that tracks durability and holds nothing durable yet had heartbeats acknowledge
        // nothing: resume from 0 (the replay of what was read is dropped as repeats), never from
        // the seq read, which a crash could leave ahead of the store.
        const nothingDurable = position.acknowledgeable === null && position.seq !== null;
        const seq = nothingDurable ? 0 : (position.acknowledgeable ?? session.seq);
        this.#connection.sendPriority(
          this.#protocol.resume({ accessToken, sessionId: session.sessionId, seq }),
        );
        this.#answer.start();
        return;
      }
      this.mode = 'identify';
      this.#events.progress('identifying');
      // Fetch the token before the turn, so no request sits between turn and frame (the server
      // measures the window on arrival); ask again after it, in case a long wait outlived the token.
      await tokens.get({ signal });
      step = 'identifyTurn';
      await introduction.identifyQueue.wait(shardId, signal);
      step = 'accessToken';
      const accessToken = await tokens.get({ signal });
      if (signal.aborted) return;
      this.token = accessToken;
      position.restartSequence();
      this.identifySent = true;
      this.#connection.sendPriority(this.#protocol.identify(introduction.identifyParams(accessToken)));
      this.#answer.start();
      introduction.identifySent();
    } catch (error) {
      if (signal.aborted) return;
      // The step and its cause in the message: `error()` handlers and log lines often show no cause.
      this.#events.report(
        new GatewayError(`${SETUP_STEP_FAILED[step]}: ${messageOf(error)}`, shardId, { cause: error }),
      );
      this.abandon({ reason: 'setupFailed', error, step, ...classifySetupFailure(error) });
    }
  }

  #onPayload(payload: GatewayPayload): void {
    // Frames still arriving after the shard gave up on this attempt belong to nobody.
    if (this.#ended.settled) return;
    // Any frame is the platform's answer; past the first, this check is all it costs.
    if (this.#answer.waiting) this.#answer.clear();
    const { opcodes } = this.#protocol;
    switch (payload.op) {
      case opcodes.dispatch:
        if (!isDispatch(payload, opcodes.dispatch)) {
          this.#events.report(
            new GatewayError('received a dispatch without an event name', this.#introduction.shardId),
          );
        } else if (!this.identifySent && !this.resumeSent) {
          // A dispatch before this connection asked for a session answers nothing: taken, an
          // unsolicited READY would start a session the shard never identified for.
          this.#reportDispatch(
            payload,
            'it came before this connection sent Identify or Resume, and the platform sends events only after one',
            'ignored',
          );
        } else this.#onDispatch(payload);
        return;
      case opcodes.reconnect:
        this.abandon({ reason: 'reconnectRequested' });
        return;
      case opcodes.invalidSession:
        this.abandon({ reason: 'invalidSession', resumable: payload.d === true });
        return;
      default:
        this.#events.debug(`ignored a frame with op ${payload.op}`);
    }
  }

  #onDispatch(payload: DispatchPayload): void {
    const protocol = this.#protocol;
    const { s, t } = payload;
    const isResumed = t === protocol.resumedEvent;
    let readySession: string | undefined;
    if (t === protocol.readyEvent) {
      // Checked first: a READY refused leaves the session position as it was.
      readySession = this.#acceptedReadySession(payload.d);
      if (readySession === undefined) return;
      // A READY starts a session numbered afresh, even one answering a Resume: its numbers may
      // be at or below the old session's without being repeats.
      this.#position.restartSequence();
    }
    if (isSequence(s)) {
      const last = this.#position.seq;
      const verdict = this.#seqCheck.judge(s, last, this.resumeSent && !this.reachedReady);
      if (verdict === 'next') this.#position.advance(s);
      else if (verdict === 'farAhead') {
        const tail = this.#seqReports.note('farAhead');
        if (tail !== undefined) {
          this.#reportDispatch(
            payload,
            `more than ${SEQ_STEP_LIMIT} past the last one read (${last ?? 'none'}); delivered, but the resume point stays at ${last ?? 'none'}${tail}`,
          );
        }
      } else if (!isResumed) {
        // Each seq once: a replay overlapping what this session already delivered is expected;
        // the same outside a replay is a repeat or out of order, and is said at error level.
        if (verdict === 'repeat') this.#events.debug(`dropped a repeated dispatch (seq ${s} ≤ ${last})`);
        else {
          const tail = this.#seqReports.note('behind');
          if (tail !== undefined) {
            this.#reportDispatch(
              payload,
              `at or behind the last one read (${last}) outside a resume's replay: a repeat or out of order, not delivered${tail}`,
              'dropped',
            );
          }
        }
        return;
      }
    } else if (s !== undefined && s !== null) {
      this.#reportBadSequence(t, s);
    }
    if (readySession !== undefined) {
      this.#beginSession(readySession);
    } else if (isResumed) {
      this.reachedReady = true;
      this.#events.progress('resumed');
    }
    this.#events.dispatch(payload);
  }

  /** No answer to the Identify or Resume in time, the connection still open: report and try again. */
  #unanswered(afterMs: number): void {
    const frame = this.resumeSent ? 'resume' : 'identify';
    this.#events.report(
      new GatewayError(
        `no answer to ${frame === 'resume' ? 'Resume' : 'Identify'} within ${afterMs} ms while the connection stayed open; reconnecting (raise timeouts.sessionAnswerMs if the platform answers this slowly)`,
        this.#introduction.shardId,
      ),
    );
    this.abandon({ reason: 'sessionUnanswered', frame, afterMs });
  }

  /**
   * READY: the session it names, when it is this shard's and names one; otherwise reports why,
   * gives up on the attempt and returns `undefined`.
   */
  #acceptedReadySession(data: unknown): string | undefined {
    const shardId = this.#introduction.shardId;
    const refusal = this.#checkReadyShard(data);
    if (refusal !== undefined) {
      this.#events.report(new GatewayError(refusal, shardId));
      this.abandon({ reason: 'wrongShard', detail: refusal });
      return undefined;
    }
    const sessionId = this.#protocol.readySessionId(data);
    if (sessionId === undefined) {
      this.#events.report(new GatewayError('READY carried no session id; identifying again', shardId));
      this.abandon({ reason: 'readyWithoutSession' });
    }
    return sessionId;
  }

  /** A READY accepted: records its session at the sequence reached. */
  #beginSession(sessionId: string): void {
    void this.#position.begin(sessionId);
    this.reachedReady = true;
    this.#events.progress('identified');
  }

  /**
   * A sequence number that cannot be one: delivered, but the resume point stays where it was.
   * Described by type and size: `s` may be anything, even an array too deep to stringify. Past
   * the first few of a connection only counted (see {@link SeqReports}).
   */
  #reportBadSequence(t: string, s: unknown): void {
    const tail = this.#seqReports.note('invalid');
    if (tail === undefined) return;
    this.#events.report(
      new GatewayError(
        `dispatch ${wireName(t)} carried an invalid seq (${describeWireValue(s)}); delivered, but the resume point stays at ${this.#position.seq ?? 'none'}${tail}`,
        this.#introduction.shardId,
      ),
    );
  }

  /**
   * Reports a dispatch whose place in the session is wrong, naming it by event, id and seq.
   *
   * @param why - what is wrong, and what became of the dispatch
   * @param done - `dropped` or `ignored` opens the message; otherwise it says what the seq carried
   */
  #reportDispatch(payload: DispatchPayload, why: string, done?: 'dropped' | 'ignored'): void {
    const { id, s } = payload;
    const name = `${wireName(payload.t)}${typeof id === 'string' ? ` (id ${wireName(id)})` : ''}`;
    const message =
      done === undefined
        ? `dispatch ${name} carried seq ${describeWireValue(s)}, ${why}`
        : `${done} dispatch ${name} with seq ${describeWireValue(s)}: ${why}`;
    this.#events.report(new GatewayError(message, this.#introduction.shardId));
  }

  /** Why a READY is not this shard's (it names another shard or an unreadable one), if it is not. */
  #checkReadyShard(data: unknown): string | undefined {
    const { shardId, shardCount } = this.#introduction;
    const named = this.#protocol.readyShard?.(data);
    if (named === undefined || (named !== null && named[0] === shardId && named[1] === shardCount)) {
      return undefined;
    }
    const expected = `[${shardId}, ${shardCount}]`;
    return named === null
      ? `READY named no readable shard, but the shard identified as ${expected}`
      : `READY named shard [${named[0]}, ${named[1]}], but the shard identified as ${expected}`;
  }
}
