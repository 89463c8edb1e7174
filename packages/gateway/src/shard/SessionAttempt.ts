import { isBotError } from '@bot/http';
import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import {
  isDispatch,
  type DispatchPayload,
  type GatewayPayload,
  type GatewayProtocol,
  type IdentifyParams,
} from '../protocol/GatewayProtocol.js';
import type { SessionCheckpoint } from '../session/SessionCheckpoint.js';
import { Deferred } from '../util/Deferred.js';
import { isSequence } from './frameSanity.js';
import { GatewayConnection, type ConnectionSettings } from './GatewayConnection.js';
import type { AttemptEnd, AttemptFacts } from './recovery.js';
import type { TokenSource } from './TokenSource.js';

/** The session's position: the last sequence number seen, `null` before the first. */
export interface SequenceCursor {
  value: number | null;
}

/** What a {@link SessionAttempt} needs from the shard that runs it. */
export interface AttemptHost {
  readonly shardId: number;
  readonly shardCount: number;
  readonly protocol: GatewayProtocol;
  readonly tokens: TokenSource;
  readonly identifyQueue: IdentifyQueue;
  readonly checkpoint: SessionCheckpoint;
  /** Time a closing handshake may take, in milliseconds. */
  readonly closeGraceMs: number;
  /** Last sequence number of the session; the attempt advances it, and clears it on identify. */
  readonly sequence: SequenceCursor;
  /** Identify parameters for an access token (intents, shard pair, presence where supported). */
  identifyParams(accessToken: string): IdentifyParams;
  /** The attempt moved on after Hello. */
  enter(state: 'resuming' | 'identifying'): void;
  /** READY or RESUMED arrived. */
  ready(detail: string): void;
  /** An event for the bot. */
  dispatch(payload: DispatchPayload): void;
  /** A heartbeat was acknowledged. */
  heartbeat(latency: number): void;
  debug(message: string): void;
  report(error: Error): void;
}

/** Close code for closes that keep the session resumable (1000 would let the server drop it). */
export const RESUMABLE_CLOSE_CODE = 4000;

/**
 * One connection attempt of a shard, from opening the socket to its end: after Hello it resumes
 * the stored session or waits for an identify turn and identifies, then hands out dispatches,
 * tracking the sequence. {@link SessionAttempt.ended} says how it ended; deciding what comes
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
  /** The access token sent, so a refused one can be reported back to the token source. */
  public token: string | undefined;
  readonly #host: AttemptHost;
  readonly #connection: GatewayConnection;
  readonly #controller = new AbortController();
  readonly #ended = new Deferred<AttemptEnd>();

  /**
   * Opens the socket at once.
   *
   * @param host - the shard's side of the attempt
   * @param settings - connection settings
   * @param mode - what to do after Hello
   */
  public constructor(
    host: AttemptHost,
    settings: Omit<ConnectionSettings, 'lastSeq'>,
    mode: 'resume' | 'identify',
  ) {
    this.#host = host;
    this.mode = mode;
    this.#connection = new GatewayConnection(
      { ...settings, lastSeq: () => host.sequence.value },
      {
        hello: (interval) => {
          host.debug(`Hello: heartbeat every ${interval} ms`);
          void this.#greet();
        },
        payload: (payload) => this.#onPayload(payload),
        heartbeat: (latency) => host.heartbeat(latency),
        ended: (end) => this.finish(end),
        debug: (message) => host.debug(message),
        error: (error) => host.report(new GatewayError(error.message, host.shardId, { cause: error })),
      },
    );
  }

  /** Settles with the reason the attempt ended. */
  public get ended(): Promise<AttemptEnd> {
    return this.#ended.promise;
  }

  /** Records how the attempt ended and cancels its pending waits; later calls are ignored. */
  public finish(end: AttemptEnd): void {
    if (this.#ended.settled) return;
    this.#controller.abort();
    this.#ended.resolve(end);
  }

  /** Ends the attempt by the shard's own decision, keeping the session resumable server-side. */
  public abandon(end: AttemptEnd): void {
    void this.#connection.close(RESUMABLE_CLOSE_CODE, this.#host.closeGraceMs);
    this.finish(end);
  }

  /** Closes the socket with `code`, waiting at most `graceMs` for the closing handshake. */
  public close(code: number, graceMs: number): Promise<void> {
    return this.#connection.close(code, graceMs);
  }

  /** Stops reading the socket; heartbeats go on (see {@link GatewayConnection.pause}). */
  public pause(): void {
    this.#connection.pause();
  }

  /** Reads the socket again, held frames first. */
  public resume(): void {
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
    const host = this.#host;
    const { signal } = this.#controller;
    const session = host.checkpoint.current;
    try {
      if (this.mode === 'resume' && session !== undefined) {
        host.enter('resuming');
        const accessToken = await host.tokens.get({ signal });
        if (signal.aborted) return;
        this.token = accessToken;
        this.resumeSent = true;
        const seq = host.sequence.value ?? session.seq;
        this.#connection.sendPriority(
          host.protocol.resume({ accessToken, sessionId: session.sessionId, seq }),
        );
        return;
      }
      this.mode = 'identify';
      host.enter('identifying');
      // Fetch the token before the turn, so no request sits between turn and frame (the server
      // measures the window on arrival); ask again after it, in case a long wait outlived the token.
      await host.tokens.get({ signal });
      await host.identifyQueue.wait(host.shardId, signal);
      const accessToken = await host.tokens.get({ signal });
      if (signal.aborted) return;
      this.token = accessToken;
      host.sequence.value = null;
      this.identifySent = true;
      this.#connection.sendPriority(host.protocol.identify(host.identifyParams(accessToken)));
    } catch (error) {
      if (signal.aborted) return;
      const authentication = isBotError(error) && error.kind === 'authentication';
      host.report(
        new GatewayError('could not get an access token or an identify turn', host.shardId, { cause: error }),
      );
      this.abandon({ reason: 'setupFailed', error, authentication });
    }
  }

  #onPayload(payload: GatewayPayload): void {
    // Frames still arriving after the shard gave up on this attempt belong to nobody.
    if (this.#ended.settled) return;
    const { opcodes } = this.#host.protocol;
    switch (payload.op) {
      case opcodes.dispatch:
        if (isDispatch(payload, opcodes.dispatch)) this.#onDispatch(payload);
        else
          this.#host.report(
            new GatewayError('received a dispatch without an event name', this.#host.shardId),
          );
        return;
      case opcodes.reconnect:
        this.abandon({ reason: 'reconnectRequested' });
        return;
      case opcodes.invalidSession:
        this.abandon({ reason: 'invalidSession', resumable: payload.d === true });
        return;
      default:
        this.#host.debug(`ignored a frame with op ${payload.op}`);
    }
  }

  #onDispatch(payload: DispatchPayload): void {
    const host = this.#host;
    const { s, t } = payload;
    const sequence = host.sequence;
    const isResumed = t === host.protocol.resumedEvent;
    if (isSequence(s)) {
      const last = sequence.value;
      if (last === null || s > last) {
        sequence.value = s;
        host.checkpoint.advance(s);
      } else if (!isResumed) {
        // A replay overlapping what this session already delivered: hand each seq out once.
        host.debug(`dropped a repeated dispatch (seq ${s} ≤ ${last})`);
        return;
      }
    } else if (s !== undefined && s !== null) {
      this.#reportBadSequence(t, s);
    }
    if (t === host.protocol.readyEvent) {
      const refusal = this.#checkReadyShard(payload.d);
      if (refusal !== undefined) {
        host.report(new GatewayError(refusal, host.shardId));
        this.abandon({ reason: 'wrongShard', detail: refusal });
        return;
      }
      const sessionId = host.protocol.readySessionId(payload.d);
      if (sessionId === undefined) {
        host.report(new GatewayError('READY carried no session id; identifying again', host.shardId));
        this.abandon({ reason: 'invalidSession', resumable: false });
        return;
      }
      void host.checkpoint.begin({ sessionId, seq: sequence.value ?? 0, shardCount: host.shardCount });
      this.reachedReady = true;
      host.ready(`identified as session ${sessionId}`);
    } else if (isResumed) {
      this.reachedReady = true;
      host.ready(`resumed at seq ${sequence.value ?? 'none'}`);
    }
    host.dispatch(payload);
  }

  /** A sequence number that cannot be one: delivered, but the resume point stays where it was. */
  #reportBadSequence(t: string, s: unknown): void {
    const shown = typeof s === 'number' ? String(s) : JSON.stringify(s);
    this.#host.report(
      new GatewayError(
        `dispatch ${t} carried an invalid seq (${shown}); delivered, but the resume point stays at ${this.#host.sequence.value ?? 'none'}`,
        this.#host.shardId,
      ),
    );
  }

  /** Why a READY is not this shard's (it names another shard or an unreadable one), if it is not. */
  #checkReadyShard(data: unknown): string | undefined {
    const host = this.#host;
    const named = host.protocol.readyShard?.(data);
    if (
      named === undefined ||
      (named !== null && named[0] === host.shardId && named[1] === host.shardCount)
    ) {
      return undefined;
    }
    const expected = `[${host.shardId}, ${host.shardCount}]`;
    return named === null
      ? `READY named no readable shard, but the shard identified as ${expected}`
      : `READY named shard [${named[0]}, ${named[1]}], but the shard identified as ${expected}`;
  }
}
