import type { RawData, WebSocket } from 'ws';
import { GatewayCloseCode, Opcode, type GatewayPayload } from '@bot/core';
import { closeInvalidatesSession } from '../protocol/closeCodes.js';
import type { Ready } from '../protocol/wire.js';
import { isInteger } from '../util/guards.js';
import { type FrameProblem, parseFrame, readResume } from './frames.js';
import type { GatewayContext } from './GatewayContext.js';
import type { GatewaySession, SessionOutlet } from './GatewaySession.js';
import { admitIdentify } from './identifyAdmission.js';

/** Who ends a connection and how. */
type Closing = { initiator: 'server' | 'drop'; code: number; reason: string };

/** WebSocket close reasons are limited to 123 bytes. */
function clampReason(reason: string): string {
  let clamped = reason;
  while (Buffer.byteLength(clamped) > 123) clamped = clamped.slice(0, -1);
  return clamped;
}

/**
 * The emulator's side of one bot's WebSocket to the gateway: sends Hello, validates Identify and
 * Resume, acknowledges heartbeats, carries a session's dispatches, and closes with the platform's
 * codes.
 */
export class BotConnection implements SessionOutlet {
  #session: GatewaySession | null = null;
  #lastShard: [number, number] | null = null;
  #acksStopped = false;
  #closing: Closing | null = null;
  #heartbeatDeadline: NodeJS.Timeout | undefined;
  #helloTimer: NodeJS.Timeout | undefined;

  /**
   * @param id connection number used in records
   * @param ws the accepted socket
   * @param context shared gateway state
   */
  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly context: GatewayContext,
  ) {}

  /** The shard of the session this connection carries or last carried. */
  get shard(): [number, number] | null {
    return this.#session?.shard ?? this.#lastShard;
  }

  /** The session carried now, if any. */
  get session(): GatewaySession | null {
    return this.#session;
  }

  /** Whether the socket is open. */
  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** Starts the conversation: listeners, Hello (possibly delayed) and the heartbeat deadline. */
  start(): void {
    this.context.recorder.add({ kind: 'open', connectionId: this.id });
    this.ws.on('message', (data, isBinary) => this.#guard(() => this.#onMessage(data, isBinary)));
    this.ws.on('close', (code, reason) => this.#guard(() => this.#onClose(code, reason.toString())));
    // Protocol errors (bad UTF-8, oversized frames) are followed by a close; the listener keeps them from throwing.
    this.ws.on('error', () => undefined);
    const hello = (): void =>
      this.send({ op: Opcode.Hello, d: { heartbeat_interval: this.context.settings.heartbeatInterval } });
    const delay = this.context.settings.helloDelay;
    if (delay > 0) this.#helloTimer = setTimeout(() => this.#guard(hello), delay);
    else hello();
    this.#armHeartbeatDeadline();
  }

  /** Sends a frame and records it. */
  send(payload: GatewayPayload): void {
    if (!this.open) return;
    this.ws.send(JSON.stringify(payload));
    this.context.recorder.add({
      kind: 'sent',
      connectionId: this.id,
      shard: this.shard,
      sessionId: this.#session?.id ?? null,
      payload,
    });
  }

  /** Delivers a session dispatch (the session's outlet). */
  deliver(payload: GatewayPayload): void {
    this.send(payload);
  }

  /** Closes with a close frame. */
  close(code: number, reason: string): void {
    if (this.#closing || !this.open) return;
    this.#closing = { initiator: 'server', code, reason: clampReason(reason) };
    this.ws.close(code, this.#closing.reason);
  }

  /** The session was resumed elsewhere: forget it, then close. */
  release(code: number, reason: string): void {
    this.#lastShard = this.#session?.shard ?? this.#lastShard;
    this.#session = null;
    this.close(code, reason);
  }

  /** Destroys the TCP socket without a close frame (the bot sees 1006). */
  drop(): void {
    if (this.#closing) return;
    this.#closing = { initiator: 'drop', code: 1006, reason: 'socket dropped' };
    this.ws.terminate();
  }

  /** Stops acknowledging heartbeats on this connection (a zombie connection). */
  stopHeartbeatAcks(): void {
    this.#acksStopped = true;
  }

  /** Sends op 7; the session stops sending here and waits for a Resume on a new connection. */
  requestReconnect(): void {
    this.send({ op: Opcode.Reconnect });
    this.#leaveSession();
  }

  /** Sends op 9 with `d = resumable`; when not resumable the session is forgotten. */
  invalidateSession(resumable: boolean): void {
    this.send({ op: Opcode.InvalidSession, d: resumable });
    const session = this.#session;
    this.#leaveSession();
    if (session && !resumable) this.context.sessions.invalidate(session);
  }

  #leaveSession(): void {
    if (!this.#session) return;
    this.#lastShard = this.#session.shard;
    this.#session.detach(this);
    this.#session = null;
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    const frame = parseFrame(data, isBinary, this.context.settings.maxFrameBytes);
    if (frame.problem) {
      this.#record(null, undefined, Buffer.isBuffer(data) ? data.subarray(0, 4096).toString('utf8') : '');
      this.#refuse(frame);
      return;
    }
    const { op, d } = frame.payload;
    this.#record(op, d, frame.text.slice(0, 4096));
    switch (op) {
      case Opcode.Heartbeat:
        this.#onHeartbeat(d);
        return;
      case Opcode.Identify:
        this.#onIdentify(d);
        return;
      case Opcode.Resume:
        this.#onResume(d);
        return;
      default:
        this.close(GatewayCloseCode.InvalidOpcode, `opcode ${op} is not accepted from clients`);
    }
  }

  #onHeartbeat(d: unknown): void {
    if (d !== null && d !== undefined && !(isInteger(d) && d >= 0)) {
      this.close(GatewayCloseCode.InvalidPayload, 'heartbeat "d" must be the last seq or null');
      return;
    }
    this.#armHeartbeatDeadline();
    if (isInteger(d)) this.#session?.acknowledge(d);
    if (!this.#acksStopped) this.send({ op: Opcode.HeartbeatAck });
  }

  #onIdentify(d: unknown): void {
    if (this.#session) {
      this.close(GatewayCloseCode.AlreadyAuthenticated, 'already identified');
      return;
    }
    const answer = admitIdentify(this.context, d);
    if (answer.kind !== 'accept' && answer.missingIntents !== undefined) {
      this.context.onIntentsRefused({
        connectionId: this.id,
        missing: answer.missingIntents,
        answer: answer.kind,
      });
    }
    if (answer.kind === 'close') return this.close(answer.code, answer.reason);
    if (answer.kind === 'invalidSession') return this.send({ op: Opcode.InvalidSession, d: false });
    const { shard, intents } = answer.identify;
    const session = this.context.sessions.create(shard, intents);
    this.#session = session;
    session.attach(this);
    const { bot } = this.context;
    const ready: Ready = {
      version: 1,
      session_id: session.id,
      user: { id: bot.id, username: bot.username, bot: true, status: 1 },
      shard: session.shard,
    };
    this.send({ op: Opcode.Dispatch, s: session.nextSeq(), t: 'READY', d: ready });
  }

  #onResume(d: unknown): void {
    if (this.#session) {
      this.close(GatewayCloseCode.AlreadyAuthenticated, 'already identified');
      return;
    }
    const resume = readResume(d);
    if ('problem' in resume) return this.#refuse(resume);
    if (this.context.tokens.check(resume.token) !== 'valid') {
      this.close(GatewayCloseCode.AuthenticationFailed, 'access token expired or unknown');
      return;
    }
    const session = this.context.sessions.get(resume.sessionId);
    if (session && this.context.settings.strictResume === true && resume.seq < session.acknowledged) {
      this.close(
        GatewayCloseCode.InvalidSeq,
        `resume from seq ${resume.seq} is behind seq ${session.acknowledged}, which a heartbeat acknowledged`,
      );
      return;
    }
    const replay = session?.replayAfter(resume.seq);
    if (!session || !replay) {
      this.send({ op: Opcode.InvalidSession, d: false });
      return;
    }
    // A session lives on one socket: a resume takes it over from an older, still open one.
    const previous = session.outlet;
    this.#session = session;
    session.attach(this);
    previous?.release(GatewayCloseCode.ResetByResume, 'session resumed on another connection');
    for (const payload of replay) this.send(payload);
    this.send({ op: Opcode.Dispatch, s: session.nextSeq(), t: 'RESUMED', d: '' });
  }

  #onClose(code: number, reason: string): void {
    clearTimeout(this.#heartbeatDeadline);
    clearTimeout(this.#helloTimer);
    const closing = this.#closing;
    const session = this.#session;
    this.context.recorder.add({
      kind: 'close',
      connectionId: this.id,
      shard: this.shard,
      sessionId: session?.id ?? null,
      code: closing?.code ?? code,
      reason: closing?.reason ?? reason,
      initiator: closing?.initiator ?? 'client',
    });
    this.#leaveSession();
    if (session && closing?.initiator === 'server' && closeInvalidatesSession(closing.code)) {
      this.context.sessions.invalidate(session);
    }
  }

  #refuse(frame: FrameProblem): void {
    this.close(frame.code, frame.reason);
  }

  #record(op: number | null, d: unknown, raw: string): void {
    this.context.recorder.add({
      kind: 'gateway',
      connectionId: this.id,
      shard: this.shard,
      sessionId: this.#session?.id ?? null,
      op,
      d,
      raw,
    });
  }

  #armHeartbeatDeadline(): void {
    clearTimeout(this.#heartbeatDeadline);
    const timeout = this.context.settings.heartbeatTimeout;
    if (timeout <= 0) return;
    this.#heartbeatDeadline = setTimeout(
      () => this.#guard(() => this.close(GatewayCloseCode.SessionTimedOut, 'no heartbeat received in time')),
      timeout,
    );
  }

  /** Runs a handler so that nothing it throws escapes into the process. */
  #guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.context.onInternalError(error);
      this.close(4900, 'internal emulator error');
    }
  }
}
