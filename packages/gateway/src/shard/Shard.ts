import { childLogger, createLogger, typedEventEmitter } from '@bot/http';
import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { GatewayError } from '../errors/GatewayError.js';
import type { GatewayPayload, GatewayProtocol } from '../protocol/GatewayProtocol.js';
import { qqProtocol } from '../protocol/qq.js';
import { InMemorySessionStore } from '../session/InMemorySessionStore.js';
import { SessionCheckpoint } from '../session/SessionCheckpoint.js';
import type { SessionInfo } from '../session/SessionStore.js';
import { Deferred } from '../util/Deferred.js';
import { sleep, waitAtMost } from '../util/sleep.js';
import { closeRuleLookup } from './closePolicy.js';
import { fatalErrorFor } from './fatalError.js';
import { Introduction } from './Introduction.js';
import { ReadingPause } from './ReadingPause.js';
import { ReconnectLog } from './ReconnectLog.js';
import { ReconnectPlanner } from './ReconnectPlanner.js';
import type { Recovery } from './recovery.js';
import {
  RESUMABLE_CLOSE_CODE,
  SessionAttempt,
  type AttemptEvents,
  type AttemptSetup,
  type AttemptStep,
} from './SessionAttempt.js';
import { SessionPosition } from './SessionPosition.js';
import { validateShardOptions, type ShardOptions } from './ShardOptions.js';
import type { ShardCloseOptions, ShardEvents } from './ShardEvents.js';
import { ShardNotifier } from './ShardNotifier.js';
import type { ShardState, ShardStatus } from './ShardState.js';

interface StopRequest {
  invalidateSession: boolean;
  deadline: number;
}

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
  readonly #protocol: GatewayProtocol;
  readonly #notify: ShardNotifier;
  readonly #position: SessionPosition;
  readonly #setup: AttemptSetup;
  readonly #events: AttemptEvents;
  readonly #planner: ReconnectPlanner;
  readonly #reading = new ReadingPause();
  readonly #reconnectLog: ReconnectLog;
  readonly #closeGraceMs: number;
  #state: ShardState = 'idle';
  #attempt: SessionAttempt | undefined;
  #loop: Promise<void> | undefined;
  #stop: StopRequest | undefined;
  #wake: AbortController | undefined;
  #firstReady = new Deferred<void>();
  #latency: number | undefined;
  #fatalError: FatalGatewayError | undefined;

  /**
   * Validates the options; connects nothing until {@link Shard.start}.
   *
   * @param options - identity, credentials, queue, store and behaviour
   * @throws {@link ValidationError} naming the first wrong option
   */
  public constructor(options: ShardOptions) {
    super();
    validateShardOptions(options);
    this.id = options.id;
    this.total = options.total;
    this.#options = options;
    const protocol = (this.#protocol = options.protocol ?? qqProtocol);
    const log = childLogger(options.logger ?? createLogger('gateway'), `shard:${options.id}`);
    const notify = (this.#notify = new ShardNotifier(this, options.id, log));
    this.#reconnectLog = new ReconnectLog(log);
    this.#closeGraceMs = options.timeouts?.closeGraceMs ?? 5_000;
    this.#planner = new ReconnectPlanner({
      backoff: options.backoff,
      ruleFor: closeRuleLookup(protocol, options.closeCodes),
      maxAuthFailures: options.maxAuthFailures ?? 2,
    });
    const checkpoint = new SessionCheckpoint(
      options.sessionStore ?? new InMemorySessionStore(),
      options.id,
      options.seqFlushDelayMs ?? 5_000,
      (error) => notify.report(new GatewayError('session store write failed', this.id, { cause: error })),
    );
    this.#position = new SessionPosition(checkpoint, options.total);
    this.#setup = {
      connection: {
        url: protocol.connectUrl(options.gatewayUrl),
        protocol,
        handshakeTimeoutMs: options.timeouts?.handshakeMs ?? 15_000,
        helloTimeoutMs: options.timeouts?.helloMs ?? 20_000,
        maxPayload: options.maxPayload ?? 4 * 1024 * 1024,
        sendLimit: options.sendLimit ?? {},
      },
      closeGraceMs: this.#closeGraceMs,
      introduction: new Introduction({
        shardId: options.id,
        shardCount: options.total,
        intents: options.intents,
        presence: options.presence,
        protocol,
        tokens: options.tokens,
        identifyQueue: options.identifyQueue,
        debug: (message) => notify.debug(message),
      }),
      position: this.#position,
    };
    // Closures, not `this`: the attempt reaches exactly these members and nothing else of the shard.
    this.#events = {
      progress: (step) => this.#progress(step),
      dispatch: (payload) => notify.dispatch(payload),
      heartbeat: (latency) => {
        this.#latency = latency;
        this.#planner.alive(Date.now());
        notify.emit('heartbeat', latency);
      },
      debug: (message) => notify.debug(message),
      report: (error) => notify.report(error),
    };
  }

  /** Current state. */
  public get state(): ShardState {
    return this.#state;
  }

  /** Whether the protocol can carry the presence handed to this shard (false for QQ). */
  public get supportsPresence(): boolean {
    return this.#protocol.supportsPresence;
  }

  /** Why the shard stopped, once it is `fatal`. */
  public get fatalError(): FatalGatewayError | undefined {
    return this.#fatalError;
  }

  /** Whether reading is paused by {@link Shard.pause}. */
  public get paused(): boolean {
    return this.#reading.paused;
  }

  /** A snapshot of state, latency, sequence, session and counters. */
  public status(): ShardStatus {
    return {
      id: this.id,
      total: this.total,
      state: this.#state,
      latency: this.#latency,
      seq: this.#position.seq,
      sessionId: this.#position.session?.sessionId,
      reconnects: this.#planner.reconnects,
      attempt: this.#planner.attempt,
      lastCloseCode: this.#planner.lastCloseCode,
      paused: this.#reading.paused,
    };
  }

  /**
   * Stops reading events, for back-pressure: the socket is no longer read, so unread frames wait
   * in the socket buffers and then on the platform's side, and no `dispatch` is emitted until
   * {@link Shard.resume}. Heartbeats go on being sent on schedule with the last sequence read, and
   * missing acknowledgements (which cannot be read) never mark the connection as a zombie.
   *
   * The pause belongs to the shard and outlives reconnects: a shard paused while disconnected does
   * not connect until resumed (then resumes its session, and the platform replays what was never
   * read). Pausing a paused shard does nothing.
   */
  public pause(): void {
    if (!this.#reading.pause()) return;
    this.#notify.debug('reading paused');
    this.#attempt?.pause();
  }

  /**
   * Reads events again: frames held while paused first, in order. Zombie detection starts
   * counting afresh. Resuming a shard that is not paused does nothing.
   */
  public resume(): void {
    if (!this.#reading.resume()) return;
    this.#notify.debug('reading resumed');
    this.#attempt?.resume();
  }

  /**
   * Starts the shard (resuming a stored session when there is one) and keeps it connected until
   * {@link Shard.close} or a fatal close. Calling it on a running shard returns the same promise.
   *
   * @returns resolves at the first READY or RESUMED; rejects with a {@link FatalGatewayError} if
   *   the shard becomes fatal first, or a {@link GatewayError} if it is closed first
   */
  public start(): Promise<void> {
    if (this.#loop !== undefined) return this.#firstReady.promise;
    this.#stop = undefined;
    this.#fatalError = undefined;
    this.#planner.started();
    this.#firstReady = new Deferred<void>();
    this.#loop = this.#run()
      .catch((error: unknown) =>
        this.#notify.report(new GatewayError('shard loop failed', this.id, { cause: error })),
      )
      .finally(() => {
        this.#loop = undefined;
      });
    return this.#firstReady.promise;
  }

  /**
   * Drops the current connection and resumes at once (or cuts a back-off wait short). Starts the
   * shard if it is not running.
   */
  public restart(): void {
    if (this.#loop === undefined) {
      void this.start();
    } else if (this.#attempt !== undefined) {
      this.#attempt.abandon({ reason: 'restart' });
    } else {
      this.#planner.hurry();
      this.#wake?.abort();
    }
  }

  /**
   * Closes the shard for good (until the next {@link Shard.start}).
   *
   * @param options - whether to invalidate the session, and the grace period
   * @returns the session as left behind (resumable elsewhere), or `undefined` once invalidated
   */
  public async close(options: ShardCloseOptions = {}): Promise<SessionInfo | undefined> {
    const loop = this.#loop;
    if (loop !== undefined) {
      this.#stop ??= {
        invalidateSession: options.invalidateSession ?? false,
        deadline: Date.now() + (options.graceMs ?? this.#closeGraceMs),
      };
      this.#wake?.abort();
      this.#attempt?.finish({ reason: 'stopped' });
      await loop;
    }
    return this.#position.session;
  }

  /**
   * Sends a frame through the connection's outbound limiter.
   *
   * @returns resolves once the frame is written
   * @throws {@link GatewayError} (as a rejection) when the shard is not ready or the connection ends first
   */
  public async send(payload: GatewayPayload): Promise<void> {
    const attempt = this.#attempt;
    if (attempt === undefined || this.#state !== 'ready') {
      throw new GatewayError(`cannot send while ${this.#state}`, this.id);
    }
    try {
      await attempt.send(payload);
    } catch (error) {
      throw new GatewayError('the connection ended before the frame was sent', this.id, { cause: error });
    }
  }

  async #run(): Promise<void> {
    let mode = await this.#initialMode();
    let delayMs = 0;
    while (this.#stop === undefined) {
      if (delayMs > 0 || this.#reading.paused) {
        await this.#waitToConnect(delayMs);
        if (this.#stop !== undefined) break;
      }
      this.#setState('connecting');
      const attempt = new SessionAttempt(this.#setup, this.#events, mode);
      this.#attempt = attempt;
      // A 'connecting' listener may have paused the shard a moment ago.
      if (this.#reading.paused) attempt.pause();
      const end = await attempt.ended;
      this.#attempt = undefined;
      this.#planner.ended(end, Date.now());
      if (end.reason === 'stopped') {
        await this.#closeConnection(attempt);
        break;
      }
      const plan = this.#planner.plan(
        end,
        attempt,
        this.#position.resumable,
        attempt.msUntilSendWindowReset(),
      );
      const code = end.reason === 'closed' ? end.code : undefined;
      if (plan.action === 'fatal') {
        await this.#becomeFatal(plan, code);
        return;
      }
      delayMs = await this.#prepareReconnect(plan, attempt);
      mode = plan.mode;
      this.#notify.emit('close', { code, reason: plan.why, next: plan.mode, delayMs });
      const lost = { why: plan.why, next: plan.mode, delayMs, wasReady: attempt.reachedReady };
      this.#reconnectLog.lost(lost, Date.now());
      if (this.#stop === undefined) this.#setState('reconnecting');
    }
    await this.#finishStop();
  }

  /** The back-off delay, then for as long as reading is paused; both cut short by a stop. */
  async #waitToConnect(delayMs: number): Promise<void> {
    this.#wake = new AbortController();
    await sleep(delayMs, this.#wake.signal);
    while (this.#reading.paused && this.#stop === undefined) {
      this.#notify.debug('reading paused; connecting once resumed');
      this.#wake = new AbortController();
      await this.#reading.whenResumed(this.#wake.signal);
    }
    this.#wake = undefined;
  }

  async #initialMode(): Promise<'resume' | 'identify'> {
    try {
      const stored = await this.#position.load();
      if (stored !== undefined) {
        this.#notify.debug(`found a stored session (seq ${stored.seq}); resuming`);
        return 'resume';
      }
    } catch (error) {
      this.#notify.report(
        new GatewayError('could not read the stored session; identifying', this.id, { cause: error }),
      );
    }
    return 'identify';
  }

  /** A step reported by the running attempt. */
  #progress(step: AttemptStep): void {
    if (step === 'resuming' || step === 'identifying') {
      this.#setState(step);
      return;
    }
    this.#reconnectLog.recovered(this.#attempt?.mode === 'resume' ? 'resumed' : 'identified', Date.now());
    this.#planner.ready(Date.now());
    this.#notify.debug(
      step === 'identified'
        ? `identified as session ${this.#position.session?.sessionId}`
        : `resumed at seq ${this.#position.seq ?? 'none'}`,
    );
    this.#setState('ready');
    this.#firstReady.resolve();
  }

  async #prepareReconnect(
    plan: Recovery & { action: 'reconnect' },
    attempt: SessionAttempt,
  ): Promise<number> {
    const delayMs = this.#planner.delayFor(plan);
    if (plan.refreshToken && attempt.token !== undefined) this.#options.tokens.invalidate(attempt.token);
    if (plan.dropSession && this.#position.resumable) await this.#position.clear();
    return delayMs;
  }

  async #becomeFatal(plan: Recovery & { action: 'fatal' }, closeCode: number | undefined): Promise<void> {
    const error = fatalErrorFor(plan, this.id, this.#options.intents, this.#options.intentName);
    this.#fatalError = error;
    this.#notify.emit('close', { code: closeCode, reason: plan.meaning, next: 'fatal', delayMs: 0 });
    await this.#position.clear();
    this.#notify.report(error);
    this.#reconnectLog.reset();
    this.#setState('fatal');
    this.#firstReady.reject(error);
  }

  async #closeConnection(attempt: SessionAttempt): Promise<void> {
    const stop = this.#stop;
    const code = stop?.invalidateSession ? 1000 : RESUMABLE_CLOSE_CODE;
    await attempt.close(code, Math.max(0, (stop?.deadline ?? Date.now()) - Date.now()));
  }

  async #finishStop(): Promise<void> {
    const stop = this.#stop ?? { invalidateSession: false, deadline: Date.now() + this.#closeGraceMs };
    const persist = stop.invalidateSession ? this.#position.clear() : this.#position.flush();
    await waitAtMost(persist, Math.max(0, stop.deadline - Date.now()));
    this.#reconnectLog.reset();
    this.#setState('closed');
    this.#firstReady.reject(new GatewayError('closed before it became ready', this.id));
  }

  #setState(next: ShardState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#notify.stateChanged(previous, next);
  }
}
