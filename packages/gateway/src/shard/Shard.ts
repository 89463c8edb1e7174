import { Deferred, msUntil, steadyNow, typedEventEmitter, wireName } from '@bot/core';
import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { GatewayError } from '../errors/GatewayError.js';
import { SendQueueFullError } from '../errors/SendQueueFullError.js';
import type { GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { SessionInfo } from '../session/SessionStore.js';
import { fatalErrorFor } from './fatalError.js';
import { DEFAULT_PAUSE_HOLDER, type PauseHolder } from './PauseHolders.js';
import type { Recovery } from './recovery.js';
import type { AttemptStep } from './SessionAttempt.js';
import type { ShardCloseOptions, ShardEvents } from './ShardEvents.js';
import { ShardLoop, closedSession, type LoopEnd, type LoopParts, type StopRequest } from './ShardLoop.js';
import { intentBits, intentNamer, validateShardOptions, type ShardOptions } from './ShardOptions.js';
import { onListenerRejection } from './listenerRejections.js';
import { shardParts } from './shardParts.js';
import { STORE_CALLS } from './StoreDeadline.js';
import type { ShardState, ShardStatus } from './ShardState.js';

/**
 * One gateway session, kept alive for as long as the user wants it: heartbeats with zombie
 * detection, resume or identify by the close-code policy, back-off on every retry, identifies
 * paced by the shared {@link IdentifyQueue}, the session kept in a `SessionStore`.
 *
 * ```ts
 * const shard = new Shard({ id: 0, total: 1, intents, gatewayUrl, tokens, identifyQueue });
 * shard.on('dispatch', (payload) => console.log(payload.t));
 * await shard.start(); // resolves at the first READY or RESUMED
 * ```
 */
export class Shard extends typedEventEmitter<ShardEvents>() {
  /** Shard id. */
  public readonly id: number;
  /** Shard count. */
  public readonly total: number;
  readonly #options: ShardOptions;
  readonly #parts: LoopParts;
  #state: ShardState = 'idle';
  #loop: ShardLoop | undefined;
  #running: Promise<void> | undefined;
  /** The run a {@link Shard.close} is stopping, until it has ended: a start meanwhile is refused. */
  #stopping: Promise<void> | undefined;
  #firstReady = new Deferred<void>();
  #latency: number | undefined;
  #fatalError: FatalGatewayError | undefined;
  /** A restart came as the run was ending (it became fatal): the shard starts again once it has. */
  #restartWhenEnded = false;

  /**
   * Validates the options; connects nothing until {@link Shard.start}.
   *
   * @param options - identity, credentials, queue, store and behaviour
   * @throws {@link ValidationError} naming the first wrong option
   */
  public constructor(options: ShardOptions) {
    // An async listener's rejection is reported on `error` like a throw, not left unhandled.
    super({ captureRejections: true });
    validateShardOptions(options);
    this.id = options.id;
    this.total = options.total;
    this.#options = options;
    this.#parts = shardParts(options, this, {
      progress: (step) => this.#progress(step),
      heartbeat: (latency, scheduled) => {
        this.#latency = latency;
        this.#parts.planner.alive(steadyNow(), scheduled ? 'scheduled' : 'asked');
        this.#parts.notify.emit('heartbeat', latency);
      },
      setState: (state) => this.#setState(state),
    });
    onListenerRejection(this, (cause, event) => this.#parts.notify.listenerRejected(event, cause));
  }

  /** Current state. */
  public get state(): ShardState {
    return this.#state;
  }

  /** Whether the protocol can carry the presence handed to this shard (false for QQ). */
  public get supportsPresence(): boolean {
    return this.#parts.setup.connection.protocol.supportsPresence;
  }

  /** Why the shard stopped, once it is `fatal`. */
  public get fatalError(): FatalGatewayError | undefined {
    return this.#fatalError;
  }

  /** Whether reading is paused: at least one holder holds it (see {@link Shard.pause}). */
  public get paused(): boolean {
    return this.#parts.reading.paused;
  }

  /** The holders keeping reading paused, in the order they paused (empty while it reads). */
  public get pausedBy(): readonly PauseHolder[] {
    return this.#parts.reading.pausedBy;
  }

  /**
   * The last sequence number the shard took as its resume point, as `status().seq` (`null` before
   * the first of a session), read without building a snapshot. In a `dispatch` listener it equals
   * the dispatch's `s` exactly when the shard took that seq: one far ahead of the last (see
   * `SequenceCheck`), or none, is delivered without moving it.
   */
  public get seq(): number | null {
    return this.#parts.position.seq;
  }

  /**
   * A snapshot of state, latency, sequence, session and counters; while the shard holds its next
   * Identify back for a long pause, also why and until when (`identifyPause`).
   */
  public status(): ShardStatus {
    const pause = this.#loop?.identifyPause;
    return {
      id: this.id,
      total: this.total,
      state: this.#state,
      latency: this.#latency,
      seq: this.#parts.position.seq,
      sessionId: this.#parts.position.session?.sessionId,
      reconnects: this.#parts.planner.reconnects,
      attempt: this.#parts.planner.attempt,
      lastCloseCode: this.#parts.planner.lastCloseCode,
      paused: this.#parts.reading.paused,
      ...(pause === undefined ? {} : { identifyPause: { ...pause } }),
    };
  }

  /**
   * Stops reading events, for back-pressure: the socket is no longer read, so unread frames wait
   * in the socket buffers and then on the platform's side, and no `dispatch` is emitted until
   * every holder has called {@link Shard.resume}. Heartbeats go on being sent on schedule with the
   * last sequence read, and missing acknowledgements (which cannot be read) never mark the
   * connection as a zombie.
   *
   * Each pause authority passes its own `holder`, so one authority's resume never lifts another's
   * pause; pausing again under a holder that holds the pause does nothing. Without a holder the
   * call pauses under {@link DEFAULT_PAUSE_HOLDER}, which a `resume()` without one lifts.
   *
   * The pause belongs to the shard and outlives reconnects: a shard paused while disconnected does
   * not connect until resumed (then resumes its session, and the platform replays what was never
   * read).
   *
   * @param holder - who pauses (a string or symbol of your choosing)
   * @example
   * ```ts
   * shard.pause('audit');
   * shard.pause(DEFAULT_PAUSE_HOLDER); // same as shard.pause()
   * shard.resume(); // still paused: 'audit' holds it
   * shard.resume('audit'); // reads again
   * ```
   */
  public pause(holder: PauseHolder = DEFAULT_PAUSE_HOLDER): void {
    if (!this.#parts.reading.pause(holder)) return;
    this.#parts.notify.debug('reading paused');
    this.#loop?.attempt?.pause();
  }

  /**
   * Releases `holder`'s pause; once no holder is left, reads events again: frames held while
   * paused first, in order, and zombie detection starts counting afresh. Releasing a holder that
   * does not hold the pause does nothing.
   *
   * @param holder - who resumes: the holder it paused under
   */
  public resume(holder: PauseHolder = DEFAULT_PAUSE_HOLDER): void {
    if (!this.#parts.reading.resume(holder)) return;
    this.#parts.notify.debug('reading resumed');
    this.#loop?.attempt?.resume();
  }

  /**
   * Starts the shard (resuming a stored session when there is one) and keeps it connected until
   * {@link Shard.close} or a fatal close. Calling it on a running shard returns the same promise.
   *
   * @returns resolves at the first READY or RESUMED; rejects with a {@link FatalGatewayError} if
   *   the shard becomes fatal first, or a {@link GatewayError} if it is closed first, or at once
   *   while a close is under way (start it again once `close()` has resolved)
   */
  public start(): Promise<void> {
    // The running session is being closed: its READY is no answer to this start, and a shard
    // started again behind its owner's close would run on unowned.
    if (this.#stopping !== undefined)
      return Promise.reject(
        new GatewayError('is closing: start it again once close() has resolved', this.id),
      );
    if (this.#running !== undefined) return this.#firstReady.promise;
    this.#fatalError = undefined;
    this.#parts.planner.started();
    this.#firstReady = new Deferred<void>();
    const loop = (this.#loop = new ShardLoop(this.#parts));
    this.#running = loop
      .run()
      .then((end) => this.#ended(end))
      .catch((error: unknown) =>
        this.#parts.notify.report(new GatewayError('shard loop failed', this.id, { cause: error })),
      )
      .finally(() => {
        this.#loop = undefined;
        this.#running = undefined;
        if (!this.#restartWhenEnded && !loop.restartOwed) return;
        this.#restartWhenEnded = false;
        void this.start();
      });
    return this.#firstReady.promise;
  }

  /**
   * Drops the current connection and resumes at once (or cuts a back-off wait short, the long
   * pause after sessions ended by op 9 included). Starts the shard if it is not running. Called
   * as a connection has just ended (from a listener of its `error` or `close` event), it skips the
   * wait before the next one, or starts the shard again once the run has ended when that end is
   * fatal; called as the shard becomes fatal (from a listener of its `FatalGatewayError`), it
   * starts the shard again once that run has ended. A {@link Shard.close} after it, before the
   * run has ended, keeps the shard down.
   *
   * The socket it drops is closed with 4000, which keeps the session resumable on the platform's
   * side, at the next microtask. A `close({ invalidateSession: true })` at any moment after it
   * (on a running shard) still ends the session there: called in the same synchronous run, it
   * closes that socket with 1000 instead; called later, it ends the session through the new
   * connection once that has resumed, or resumes it on a connection of its own to close with 1000
   * (see {@link Shard.close}). A `close()` without invalidation after it leaves the session
   * resumable.
   *
   * @throws {@link GatewayError} while a {@link Shard.close} is under way: the close wins (a
   *   restart would reconnect what it closes); start the shard again once `close()` has resolved
   */
  public restart(): void {
    if (this.#stopping !== undefined) {
      throw new GatewayError(
        'is closing: restart() has no effect while close() is under way; start it again once close() has resolved',
        this.id,
      );
    }
    if (this.#loop === undefined) void this.start();
    else if (this.#loop.done) this.#restartWhenEnded = true;
    else this.#loop.restart();
  }

  /**
   * Closes the shard for good (until the next {@link Shard.start}).
   *
   * With `invalidateSession: true` the session is forgotten here and in the store, and ended on
   * the platform's side through a connection of it: the open one that serves it is closed with
   * 1000. After a {@link Shard.restart} closed that socket with 4000, until a new connection has
   * resumed the session, there is none: the shard then resumes the session on a connection of its
   * own, delivering none of its events and never identifying, and closes that with 1000 as soon
   * as RESUMED arrives (or at once on a READY: the platform had ended the session, and the one it
   * started in its place is never stored), all within `graceMs`, while the store forgets the
   * session alongside; if it gets no RESUMED in time, the platform refuses the connection or
   * answers op 9 saying the session may be resumed later, it reports a {@link GatewayError}
   * saying so, and the platform keeps the session until it expires there. Between connections
   * for any other reason (a back-off after a lost connection, a stored session not yet resumed)
   * the session is forgotten here, the connection being opened, if any, is closed before it
   * resumes, and the platform keeps the session until it expires there.
   *
   * A `close({ invalidateSession: true })` while a `close()` without it is under way upgrades
   * that close (the later of the two deadlines applies, and both resolve to `undefined`): the
   * socket is closed with 1000, or, when it was already closed with 4000, the session is resumed
   * and ended as after a restart. Once that close is only writing the session to the store, it
   * is too late to end the session on the platform: the shard reports a {@link GatewayError}
   * saying so (once per run), the first close resolves with the session it wrote, and the
   * invalidating one then forgets that session here and in the store, within its own `graceMs`,
   * and resolves to `undefined`. One that comes once the shard is closed (a `close()` without it
   * has resolved, or the shard failed for good) does the same without a report: the store
   * forgets the session the shard left behind, no connection is opened, and the platform keeps
   * the session until it expires there. A later `close()` without invalidation changes nothing.
   *
   * @param options - whether to invalidate the session, and the grace period
   * @returns the session as left behind (resumable elsewhere), or `undefined` once invalidated
   */
  public async close(options: ShardCloseOptions = {}): Promise<SessionInfo | undefined> {
    // The close wins over a restart waiting for the run to end.
    this.#restartWhenEnded = false;
    const invalidateSession = options.invalidateSession ?? false;
    const deadline = steadyNow() + (options.graceMs ?? this.#parts.setup.closeGraceMs);
    const running = this.#running;
    if (running !== undefined) {
      this.#loop?.stop({ invalidateSession, deadline });
      await this.#whileStopping(running);
    }
    // No run carried the invalidation out (it came too late for the close under way, or after
    // the shard was closed): the session left behind is forgotten here and in the store.
    if (invalidateSession && this.#parts.position.session !== undefined) {
      const { position, storeDeadline } = this.#parts;
      await this.#whileStopping(
        storeDeadline
          .wait(STORE_CALLS.forgetOnClose, () => position.clear(), { ms: msUntil(deadline) })
          .then(() => undefined),
      );
    }
    return this.#parts.position.session;
  }

  /** Waits for `work` of a close, refusing a start or restart meanwhile. */
  async #whileStopping(work: Promise<void>): Promise<void> {
    this.#stopping = work;
    try {
      await work;
    } finally {
      if (this.#stopping === work) this.#stopping = undefined;
    }
  }

  /**
   * Sends a frame through the connection's outbound limiter.
   *
   * @returns resolves once the frame is written
   * @throws {@link GatewayError} (as a rejection) when the shard is not ready or the connection ends first
   */
  public async send(payload: GatewayPayload): Promise<void> {
    const attempt = this.#loop?.attempt;
    if (attempt === undefined || this.#state !== 'ready') {
      throw new GatewayError(`cannot send while ${this.#state}`, this.id);
    }
    try {
      await attempt.send(payload);
    } catch (error) {
      if (error instanceof SendQueueFullError) throw new SendQueueFullError(error.maxQueued, this.id);
      throw new GatewayError('the connection ended before the frame was sent', this.id, { cause: error });
    }
  }

  /** A step reported by the running attempt. */
  #progress(step: AttemptStep): void {
    if (step === 'resuming' || step === 'identifying') {
      this.#setState(step);
      return;
    }
    this.#parts.reconnectLog.recovered(
      this.#loop?.attempt?.mode === 'resume' ? 'resumed' : 'identified',
      steadyNow(),
    );
    this.#parts.planner.ready(steadyNow());
    this.#parts.notify.debug(
      step === 'identified'
        ? `identified as session ${wireName(this.#parts.position.session?.sessionId ?? 'none')}`
        : `resumed at seq ${this.#parts.position.seq ?? 'none'}`,
    );
    this.#setState('ready');
    this.#firstReady.resolve();
  }

  /** The run is over: the shard becomes fatal or closed. */
  async #ended(end: LoopEnd): Promise<void> {
    if (end.reason === 'fatal') await this.#becomeFatal(end.plan, end.code);
    else await this.#becomeClosed(end.stop, end.platformEnd);
  }

  async #becomeFatal(plan: Recovery & { action: 'fatal' }, closeCode: number | undefined): Promise<void> {
    const options = this.#options;
    const error = fatalErrorFor(plan, this.id, intentBits(options.intents), intentNamer(options));
    this.#fatalError = error;
    const { position, storeDeadline } = this.#parts;
    const session = closedSession(position);
    this.#parts.notify.emit('close', {
      code: closeCode,
      reason: plan.meaning,
      next: 'fatal',
      delayMs: 0,
      ...(session === undefined ? {} : { session }),
    });
    if (plan.keepSession === true) await storeDeadline.wait(STORE_CALLS.writeOnClose, () => position.flush());
    else await storeDeadline.wait(STORE_CALLS.forget, () => position.clear());
    this.#parts.notify.report(error);
    this.#parts.reconnectLog.reset();
    this.#setState('fatal');
    this.#firstReady.reject(error);
  }

  /**
   * Writes or forgets the session in the store, within the stop's grace, alongside `platformEnd`
   * (the session being ended on the platform by a connection of its own, which works from its own
   * copy of the session): neither waits behind the other.
   */
  async #becomeClosed(stop: StopRequest, platformEnd: Promise<void> | undefined): Promise<void> {
    const { position, storeDeadline } = this.#parts;
    const [call, persist] = stop.invalidateSession
      ? [STORE_CALLS.forgetOnClose, () => position.clear()]
      : [STORE_CALLS.writeOnClose, () => position.flush()];
    await Promise.all([storeDeadline.wait(call, persist, { ms: msUntil(stop.deadline) }), platformEnd]);
    this.#parts.reconnectLog.reset();
    this.#setState('closed');
    this.#firstReady.reject(new GatewayError('closed before it became ready', this.id));
  }

  #setState(next: ShardState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#parts.notify.stateChanged(previous, next);
  }
}
