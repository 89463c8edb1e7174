import WebSocket from 'ws';
import { messageOf, platformText } from '@bot/core';
import { isGatewayPayload, type GatewayPayload, type GatewayProtocol } from '../protocol/GatewayProtocol.js';
import { clampHeartbeatInterval, heartbeatIntervalRange } from './frameSanity.js';
import { Heartbeater } from './Heartbeater.js';
import { ConnectionClosedError } from './ConnectionClosedError.js';
import type { ConnectionEnd, ConnectionHandlers } from './ConnectionHandlers.js';
import { describeConnectError } from './connectError.js';
import { decodedFromNotUtf8, frameBytes, NotUtf8Frames } from './NotUtf8Frames.js';
import { SendLimiter, type SendLimitOptions } from './SendLimiter.js';

/** Settings of one {@link GatewayConnection}. */
export interface ConnectionSettings {
  /** URL to open. */
  url: string;
  /** Wire format. */
  protocol: GatewayProtocol;
  /** Time allowed for the WebSocket handshake in milliseconds. */
  handshakeTimeoutMs: number;
  /** Time allowed between the socket opening and Hello in milliseconds. */
  helloTimeoutMs: number;
  /** Largest accepted frame in bytes. */
  maxPayload: number;
  /** Outbound budget. */
  sendLimit: SendLimitOptions;
  /** Last sequence number seen by the shard, for heartbeats. */
  lastSeq: () => number | null;
}

/**
 * One WebSocket to the gateway, from opening to closing: parses each frame once, answers the
 * heartbeat protocol, paces outbound frames, and notices the ways a connection dies silently
 * (no Hello, unacknowledged heartbeats). Session decisions belong to the shard that owns it.
 */
export class GatewayConnection {
  readonly #settings: ConnectionSettings;
  readonly #handlers: ConnectionHandlers;
  readonly #socket: WebSocket;
  readonly #limiter: SendLimiter;
  readonly #heartbeater: Heartbeater;
  #helloTimer: NodeJS.Timeout | undefined;
  #helloSeen = false;
  #opened = false;
  /** Why the socket failed before it opened, with the system error code when there is one. */
  #connectError: string | undefined;
  /** ws refused a frame over `maxPayload` and is closing with 1009; its close event reads 1006. */
  #frameTooLarge = false;
  #done = false;
  #paused = false;
  // Frames ws had already taken off the socket when reading paused: at most the rest of one read.
  readonly #held: WebSocket.RawData[] = [];
  readonly #notUtf8 = new NotUtf8Frames();

  /**
   * Opens the socket at once.
   *
   * @param settings - URL, protocol, timeouts, limits
   * @param handlers - where to report
   */
  public constructor(settings: ConnectionSettings, handlers: ConnectionHandlers) {
    this.#settings = settings;
    this.#handlers = handlers;
    this.#socket = new WebSocket(settings.url, {
      perMessageDeflate: false,
      handshakeTimeout: settings.handshakeTimeoutMs,
      maxPayload: settings.maxPayload,
      // Decoded once in #onMessage, and checked only when the text holds U+FFFD: see
      // docs/protocol.md §3.10.
      skipUTF8Validation: true,
    });
    this.#limiter = new SendLimiter((data) => this.#write(data), settings.sendLimit);
    this.#heartbeater = new Heartbeater({
      beat: () =>
        this.#limiter.sendHeartbeat(() => JSON.stringify(settings.protocol.heartbeat(settings.lastSeq()))),
      zombie: () => this.#end({ reason: 'zombie' }, () => this.#socket.terminate()),
    });
    this.#socket.on('open', () => this.#onOpen());
    this.#socket.on('message', (data) => {
      // Counted here, as read off the socket: the verdict on an overdue beat waits while reads
      // still bring frames (frames held while paused and handled on resume are not new reads).
      this.#heartbeater.frameRead();
      this.#onMessage(data);
    });
    this.#socket.on('close', (code, reason) => {
      const message = reason.toString('utf8');
      if (decodedFromNotUtf8(message, reason)) {
        handlers.debug(`close ${code}: its reason held bytes that are not UTF-8, shown as U+FFFD`);
      }
      if (this.#frameTooLarge) {
        this.#end({ reason: 'frameTooLarge', maxPayload: settings.maxPayload }, () => undefined);
        return;
      }
      const connectError = this.#connectError;
      const end = connectError === undefined ? { code, message } : { code, message, connectError };
      this.#end({ reason: 'closed', ...end }, () => undefined);
    });
    this.#socket.on('error', (error) => {
      handlers.debug(`socket error: ${error.message}`);
      if (!this.#opened) this.#connectError ??= describeConnectError(error);
      else if ((error as { code?: unknown }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        this.#frameTooLarge = true;
    });
  }

  /** Milliseconds until the outbound budget is full again. */
  public msUntilSendWindowReset(): number {
    return this.#limiter.msUntilReset();
  }

  /**
   * Stops reading: unread frames wait in the socket buffers (then on the server's side), while
   * heartbeats go on being sent. Unanswered heartbeats do not count as a zombie meanwhile, and
   * no Hello timeout runs. Safe to call more than once; applies on open when still connecting.
   */
  public pause(): void {
    if (this.#paused || this.#done) return;
    this.#paused = true;
    this.#heartbeater.suspendZombieDetection();
    clearTimeout(this.#helloTimer);
    this.#socket.pause();
  }

  /**
   * Reads again: first the frames held back when reading paused, in order, then the socket.
   * Zombie detection starts counting afresh.
   */
  public resume(): void {
    if (!this.#paused || this.#done) return;
    this.#paused = false;
    this.#heartbeater.resumeZombieDetection();
    // Each frame leaves the queue before it is handled: a listener may pause and resume again
    // meanwhile, and that nested call must go on from the next frame, not replay or drop one.
    while (!this.#paused && !this.#done) {
      const data = this.#held.shift();
      if (data === undefined) break;
      this.#onMessage(data);
    }
    if (this.#paused || this.#done) return;
    if (!this.#helloSeen && this.#socket.readyState === WebSocket.OPEN) this.#armHelloTimer();
    this.#socket.resume();
  }

  /** Sends a frame ahead of ordinary ones (identify, resume). */
  public sendPriority(payload: GatewayPayload): void {
    this.#limiter.sendPriority(JSON.stringify(payload));
  }

  /**
   * Sends an ordinary frame within the outbound budget.
   *
   * @returns resolves once the frame is written; rejects if the connection ends first
   */
  public send(payload: GatewayPayload): Promise<void> {
    return this.#limiter.send(JSON.stringify(payload));
  }

  /**
   * Closes with a close frame, and gives up on the peer's answer after `graceMs`. The owner is
   * not told through {@link ConnectionHandlers.ended}: it asked.
   *
   * @param code - close code; 1000 lets the server drop the session, others keep it resumable
   * @param graceMs - how long to wait for the closing handshake before cutting the socket
   * @returns resolves once the socket is closed
   */
  public close(code: number, graceMs: number): Promise<void> {
    const socket = this.#socket;
    this.#stop(`closed by the shard with ${code}`);
    if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(cut);
        resolve();
      };
      const cut = setTimeout(() => {
        socket.terminate();
        finish();
      }, graceMs);
      socket.once('close', finish);
      if (socket.readyState === WebSocket.OPEN) {
        socket.close(code);
        // Paused, the socket would never read the peer's close frame and wait out the grace.
        // Nothing read now reaches the shard (the connection is stopped): reading only ends it.
        if (this.#paused) socket.resume();
      } else socket.terminate();
    });
  }

  #onOpen(): void {
    this.#opened = true;
    if (this.#paused) {
      // ws ignores pause() while connecting.
      this.#socket.pause();
      this.#handlers.debug('socket open; reading paused');
      return;
    }
    this.#handlers.debug('socket open; waiting for Hello');
    this.#armHelloTimer();
  }

  #armHelloTimer(): void {
    clearTimeout(this.#helloTimer); // a nested resume() may have armed it already
    this.#helloTimer = setTimeout(() => {
      this.#end({ reason: 'helloTimeout' }, () => this.#socket.terminate());
    }, this.#settings.helloTimeoutMs);
  }

  #onMessage(data: WebSocket.RawData): void {
    if (this.#done) return;
    if (this.#paused) {
      this.#held.push(data);
      return;
    }
    try {
      this.#handleFrame(data);
    } catch (thrown) {
      // One frame, however odd, must not end the process: a throw here would leave the socket's
      // 'message' listener and become an uncaught exception.
      this.#handlers.error(
        new Error(
          `handling a frame threw: ${platformText(messageOf(thrown))}; the frame was dropped and the connection goes on`,
          { cause: thrown },
        ),
      );
    }
  }

  #handleFrame(data: WebSocket.RawData): void {
    const bytes = frameBytes(data);
    const text = bytes.toString('utf8');
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      this.#handlers.error(new Error('received a frame that is not JSON', { cause: error }));
      return;
    }
    if (!isGatewayPayload(payload)) {
      this.#handlers.error(new Error('received a frame without a numeric op'));
      return;
    }
    if (decodedFromNotUtf8(text, bytes)) this.#report(this.#notUtf8.note(payload));
    const { opcodes } = this.#settings.protocol;
    switch (payload.op) {
      case opcodes.heartbeatAck: {
        const latency = this.#heartbeater.acknowledge();
        if (latency !== undefined) this.#handlers.heartbeat(latency, this.#heartbeater.acknowledgedScheduled);
        return;
      }
      case opcodes.heartbeat:
        this.#handlers.debug(
          this.#heartbeater.beatNow()
            ? 'server asked for a heartbeat'
            : 'server asked for a heartbeat; the last one is still unacknowledged and answers it',
        );
        return;
      case opcodes.hello:
        this.#onHello(payload.d);
        return;
      default:
        this.#handlers.payload(payload);
    }
  }

  #report(error: Error | undefined): void {
    if (error !== undefined) this.#handlers.error(error);
  }

  #onHello(data: unknown): void {
    // One Hello opens a connection; another would greet again and spend a second session start.
    if (this.#helloSeen) {
      this.#handlers.error(new Error('received a second Hello on one connection; ignored it'));
      return;
    }
    const asked = this.#settings.protocol.helloInterval(data);
    if (asked === undefined) {
      this.#handlers.error(new Error('received a Hello without a valid heartbeat_interval'));
      return;
    }
    const range = heartbeatIntervalRange(this.#limiter.heartbeatFloorMs());
    const interval = clampHeartbeatInterval(asked, range);
    if (interval !== asked) {
      const { minMs, maxMs } = range;
      this.#handlers.error(
        new Error(
          `Hello asked for a heartbeat every ${asked} ms; beating every ${interval} ms instead (accepted: ${minMs}–${maxMs} ms)`,
        ),
      );
    }
    clearTimeout(this.#helloTimer);
    this.#helloSeen = true;
    this.#heartbeater.start(interval);
    this.#handlers.hello(interval);
  }

  /** @throws {@link ConnectionClosedError} once the socket no longer takes frames (closing, closed) */
  #write(data: string): void {
    const socket = this.#socket;
    if (socket.readyState !== WebSocket.OPEN) {
      throw new ConnectionClosedError(
        socket.readyState === WebSocket.CLOSING ? 'socket closing' : 'socket closed',
      );
    }
    socket.send(data);
  }

  #end(end: ConnectionEnd, cut: () => void): void {
    if (this.#done) return;
    this.#stop(end.reason === 'closed' ? `closed with ${end.code}` : end.reason);
    cut();
    this.#handlers.ended(end);
  }

  #stop(detail: string): void {
    this.#done = true;
    this.#held.length = 0;
    clearTimeout(this.#helloTimer);
    this.#heartbeater.stop();
    this.#limiter.close(new ConnectionClosedError(detail));
    this.#report(this.#notUtf8.summary());
  }
}
