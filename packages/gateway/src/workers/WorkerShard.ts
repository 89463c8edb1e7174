import { type BotError, Deferred, typedEventEmitter } from '@bot/core';
import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { GatewayError } from '../errors/GatewayError.js';
import type { ShardHandle } from '../manager/ShardHandle.js';
import type { GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { SessionInfo } from '../session/SessionStore.js';
import type { ShardCloseOptions, ShardEvents } from '../shard/ShardEvents.js';
import type { ShardState, ShardStatus } from '../shard/ShardState.js';
import type { ShardItem, ToWorker } from './messages.js';
import type { WorkerLink } from './WorkerLink.js';
import { shardErrorFromWire } from './wireError.js';

/**
 * The main thread's stand-in for a shard a worker thread runs: the same events and methods as a
 * `Shard` (see {@link ShardHandle}). Its status mirrors what the thread reports, and its session
 * (id and last sequence number seen here) is what the shard resumes if the thread has to be
 * restarted.
 */
export class WorkerShard extends typedEventEmitter<ShardEvents>() implements ShardHandle {
  /** Shard id. */
  public readonly id: number;
  /** Shard count. */
  public readonly total: number;
  readonly #gatewayUrl: string;
  readonly #link: WorkerLink;
  readonly #sends = new Map<number, Deferred<void>>();
  #status: ShardStatus;
  #fatalError: BotError | undefined;
  #lastFatal: FatalGatewayError | undefined;
  #running = false;
  #firstReady = new Deferred<void>();
  #closing: Deferred<SessionInfo | undefined> | undefined;
  #invalidating = false;
  /** Reconnects made on earlier threads, since a new thread's shard counts from 0. */
  #earlierReconnects = 0;

  /**
   * @param id - shard id
   * @param total - shard count
   * @param gatewayUrl - where the shard connects
   * @param link - the thread that runs it
   */
  public constructor(id: number, total: number, gatewayUrl: string, link: WorkerLink) {
    super();
    this.id = id;
    this.total = total;
    this.#gatewayUrl = gatewayUrl;
    this.#link = link;
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

  /** Current state. */
  public get state(): ShardState {
    return this.#status.state;
  }

  /** Why the shard stopped, once it is `fatal`. */
  public get fatalError(): BotError | undefined {
    return this.#fatalError;
  }

  /** Whether reading is paused by {@link WorkerShard.pause}. */
  public get paused(): boolean {
    return this.#status.paused;
  }

  /** Whether the shard should be running (started and not closed nor failed). */
  public get running(): boolean {
    return this.#running;
  }

  /** The session known here: the thread's last report, with the last sequence number seen here. */
  public get session(): SessionInfo | undefined {
    const { sessionId, seq } = this.#status;
    return sessionId === undefined || seq === null ? undefined : { sessionId, seq, shardCount: this.total };
  }

  /** Whether the shard is closing with its session invalidated. */
  public get invalidating(): boolean {
    return this.#closing !== undefined && this.#invalidating;
  }

  /** A snapshot of state, latency, sequence, session and counters, as last reported. */
  public status(): ShardStatus {
    return { ...this.#status };
  }

  /** Starts the shard on its thread; resolves at the first READY or RESUMED (see `Shard.start`). */
  public start(): Promise<void> {
    if (this.#running) return this.#firstReady.promise;
    this.#running = true;
    this.#fatalError = undefined;
    this.#lastFatal = undefined;
    this.#firstReady = new Deferred<void>();
    this.relaunch();
    return this.#firstReady.promise;
  }

  /** Asks the (new) thread to run the shard, resuming the session the store holds. */
  public relaunch(): void {
    if (!this.#running) return;
    const { id, total } = this;
    this.#link.post({ type: 'start', id, total, gatewayUrl: this.#gatewayUrl, paused: this.paused });
  }

  /** Reconnects at once, resuming (see `Shard.restart`); starts the shard if it is not running. */
  public restart(): void {
    if (!this.#running) void this.start().catch(() => undefined);
    else this.#link.post({ type: 'restart', id: this.id });
  }

  /** Stops reading events on the thread, for back-pressure (see `Shard.pause`). */
  public pause(): void {
    if (this.#status.paused) return;
    this.#status.paused = true;
    this.#link.post({ type: 'pause', id: this.id });
  }

  /** Reads events again (see `Shard.resume`). */
  public resume(): void {
    if (!this.#status.paused) return;
    this.#status.paused = false;
    this.#link.post({ type: 'resume', id: this.id });
  }

  /**
   * Closes the shard on its thread, after every event it read has reached this thread.
   *
   * @returns the session left behind (resumable), or `undefined` once invalidated
   */
  public close(options: ShardCloseOptions = {}): Promise<SessionInfo | undefined> {
    if (this.#closing !== undefined) return this.#closing.promise;
    if (!this.#running) {
      // Failed for good (or never started): nothing runs on the thread, which may stop now.
      this.#link.detach(this.id);
      return Promise.resolve(this.session);
    }
    const closing = (this.#closing = new Deferred<SessionInfo | undefined>());
    this.#invalidating = options.invalidateSession ?? false;
    const message: ToWorker = {
      type: 'close',
      id: this.id,
      invalidateSession: this.#invalidating,
      graceMs: options.graceMs,
    };
    if (!this.#link.post(message))
      this.receive([this.id, 'closed', this.#invalidating ? undefined : this.session]);
    return closing.promise;
  }

  /**
   * Sends a frame through the shard's outbound limiter on its thread.
   *
   * @throws {@link GatewayError} (as a rejection) when the shard is not ready or the frame was not sent
   */
  public send(payload: GatewayPayload): Promise<void> {
    if (this.state !== 'ready')
      return Promise.reject(new GatewayError(`cannot send while ${this.state}`, this.id));
    const call = this.#link.nextCall();
    const sent = new Deferred<void>();
    this.#sends.set(call, sent);
    if (!this.#link.post({ type: 'send', id: this.id, call, payload })) this.#unsent(call);
    return sent.promise;
  }

  /** One thing the thread reports, in order. */
  public receive(item: ShardItem): void {
    switch (item[1]) {
      case 'dispatch': {
        const seq = item[2].s;
        if (typeof seq === 'number' && seq > (this.#status.seq ?? -1)) this.#status.seq = seq;
        this.emit('dispatch', item[2]);
        return;
      }
      case 'state': {
        const previous = this.#status.state;
        this.#status = {
          ...item[4],
          seq: Math.max(item[4].seq ?? -1, this.#status.seq ?? -1),
          reconnects: item[4].reconnects + this.#earlierReconnects,
          paused: this.paused,
        };
        if (this.#status.seq === -1) this.#status.seq = null;
        // The previous state as seen here: after a thread restart it is `reconnecting`, not `idle`.
        if (previous !== item[2]) this.#changed(item[2], previous);
        return;
      }
      case 'heartbeat':
        this.#status.latency = item[2];
        this.emit('heartbeat', item[2]);
        return;
      case 'close':
        this.#status.lastCloseCode = item[2].code ?? this.#status.lastCloseCode;
        this.emit('close', item[2]);
        return;
      case 'debug':
        this.emit('debug', item[2]);
        return;
      case 'error': {
        const error = shardErrorFromWire(item[2], this.id);
        if (error instanceof FatalGatewayError) this.#lastFatal = error;
        this.emit('error', error);
        return;
      }
      case 'closed':
        this.#closed(item[2]);
        return;
      case 'sent': {
        const sent = this.#sends.get(item[2]);
        this.#sends.delete(item[2]);
        if (item[3] === undefined) sent?.resolve();
        else sent?.reject(shardErrorFromWire(item[3], this.id));
        return;
      }
    }
  }

  /**
   * The thread exited unasked. A closing shard is closed with the session known here; any other
   * reports the lost connection and waits in `reconnecting` for the next thread.
   *
   * @param reason - what happened, for the `close` event
   * @param delayMs - when the next thread starts
   */
  public lost(reason: string, delayMs: number): void {
    for (const call of [...this.#sends.keys()]) this.#unsent(call);
    if (this.#closing !== undefined) {
      this.#closed(this.#invalidating ? undefined : this.session);
      return;
    }
    if (!this.#running) return;
    this.#earlierReconnects = this.#status.reconnects + 1;
    this.#status.reconnects = this.#earlierReconnects;
    this.emit('close', { code: undefined, reason, next: 'resume', delayMs });
    this.#setState('reconnecting');
  }

  /** The thread cannot be restarted any more: the shard stops for good with `error`. */
  public failForGood(error: BotError): void {
    if (this.#closing !== undefined) {
      this.#closed(this.#invalidating ? undefined : this.session);
      return;
    }
    if (!this.#running) return;
    this.#running = false;
    this.#fatalError = error;
    this.emit('error', error);
    this.#setState('fatal');
    this.#firstReady.reject(error);
  }

  #changed(state: ShardState, previous: ShardState): void {
    // As on a `Shard`: the error is there before listeners hear of the state.
    if (state === 'fatal') {
      this.#running = false;
      this.#fatalError ??= this.#lastFatal ?? new GatewayError('stopped for good', this.id);
    }
    this.emit('state', state, previous);
    if (state === 'ready') this.#firstReady.resolve();
    if (state === 'fatal') this.#firstReady.reject(this.#fatalError);
  }

  #setState(next: ShardState): void {
    const previous = this.#status.state;
    if (previous === next) return;
    this.#status.state = next;
    this.#changed(next, previous);
  }

  #closed(session: SessionInfo | undefined): void {
    const wasRunning = this.#running;
    this.#running = false;
    if (wasRunning) this.#setState('closed');
    this.#firstReady.reject(new GatewayError('closed before it became ready', this.id));
    this.#link.detach(this.id);
    this.#closing?.resolve(session);
    this.#closing = undefined;
  }

  #unsent(call: number): void {
    const sent = this.#sends.get(call);
    this.#sends.delete(call);
    sent?.reject(
      new GatewayError('the worker thread running the shard exited before the frame was sent', this.id),
    );
  }
}
