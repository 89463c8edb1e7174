import { childLogger, createLogger, type BotLogger } from '@bot/http';
import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import type {
  CloseCodeRule,
  DispatchPayload,
  GatewayPayload,
  GatewayProtocol,
  IdentifyParams,
} from '../protocol/GatewayProtocol.js';
import { qqProtocol } from '../protocol/qq.js';
import { InMemorySessionStore } from '../session/InMemorySessionStore.js';
import { SessionCheckpoint } from '../session/SessionCheckpoint.js';
import type { SessionInfo } from '../session/SessionStore.js';
import { Deferred } from '../util/Deferred.js';
import { sleep, waitAtMost } from '../util/sleep.js';
import { typedEventEmitter } from '@bot/http';
import { Backoff, DEFAULT_STABLE_AFTER_MS } from './Backoff.js';
import { closeRuleLookup } from './closePolicy.js';
import { ConnectionStability } from './ConnectionStability.js';
import { fatalErrorFor } from './fatalError.js';
import type { ConnectionSettings } from './GatewayConnection.js';
import { ReadingPause } from './ReadingPause.js';
import { ReconnectLog } from './ReconnectLog.js';
import { planRecovery, type Recovery } from './recovery.js';
import {
  RESUMABLE_CLOSE_CODE,
  SessionAttempt,
  type AttemptHost,
  type SequenceCursor,
} from './SessionAttempt.js';
import { validateShardOptions, type ShardOptions } from './ShardOptions.js';
import type { ShardCloseOptions, ShardEvents } from './ShardEvents.js';
import type { ShardState, ShardStatus } from './ShardState.js';
import type { TokenSource } from './TokenSource.js';

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
  readonly #tokens: TokenSource;
  readonly #host: AttemptHost;
  readonly #ruleFor: (code: number) => CloseCodeRule;
  readonly #connection: Omit<ConnectionSettings, 'lastSeq'>;
  readonly #checkpoint: SessionCheckpoint;
  readonly #backoff: Backoff;
  readonly #stability: ConnectionStability;
  readonly #log: BotLogger;
  readonly #closeGraceMs: number;
  readonly #maxAuthFailures: number;
  readonly #reading = new ReadingPause();
  readonly #reconnectLog: ReconnectLog;
  #state: ShardState = 'idle';
  // Shared with the running attempt as a plain object: it changes on every dispatch, where an
  // accessor pair on the attempt's host cost a measurable share of the frame.
  readonly #sequence: SequenceCursor = { value: null };
  #attempt: SessionAttempt | undefined;
  #loop: Promise<void> | undefined;
  #stop: StopRequest | undefined;
  #wake: AbortController | undefined;
  #firstReady = new Deferred<void>();
  #latency: number | undefined;
  #reconnects = 0;
  #authFailures = 0;
  #identifyRefusals = 0;
  #lastCloseCode: number | undefined;
  #fatalError: FatalGatewayError | undefined;
  #presenceNoted = false;

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
    this.#protocol = options.protocol ?? qqProtocol;
    this.#tokens = options.tokens;
    this.#ruleFor = closeRuleLookup(this.#protocol, options.closeCodes);
    this.#connection = {
      url: this.#protocol.connectUrl(options.gatewayUrl),
      protocol: this.#protocol,
      handshakeTimeoutMs: options.timeouts?.handshakeMs ?? 15_000,
      helloTimeoutMs: options.timeouts?.helloMs ?? 20_000,
      maxPayload: options.maxPayload ?? 4 * 1024 * 1024,
      sendLimit: options.sendLimit ?? {},
    };
    this.#closeGraceMs = options.timeouts?.closeGraceMs ?? 5_000;
    this.#maxAuthFailures = options.maxAuthFailures ?? 2;
    this.#backoff = new Backoff(options.backoff);
    this.#stability = new ConnectionStability(options.backoff?.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS);
    this.#log = childLogger(options.logger ?? createLogger('gateway'), `shard:${options.id}`);
    this.#reconnectLog = new ReconnectLog(this.#log);
    this.#checkpoint = new SessionCheckpoint(
      options.sessionStore ?? new InMemorySessionStore(),
      options.id,
      options.seqFlushDelayMs ?? 5_000,
      (error) => this.#report(new GatewayError('session store write failed', this.id, { cause: error })),
    );
    this.#host = this.#attemptHost(options.identifyQueue);
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
      seq: this.#sequence.value,
      sessionId: this.#checkpoint.current?.sessionId,
      reconnects: this.#reconnects,
      attempt: this.#backoff.attempt,
      lastCloseCode: this.#lastCloseCode,
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
    this.#debug('reading paused');
    this.#attempt?.pause();
  }

  /**
   * Reads events again: frames held while paused first, in order. Zombie detection starts
   * counting afresh. Resuming a shard that is not paused does nothing.
   */
  public resume(): void {
    if (!this.#reading.resume()) return;
    this.#debug('reading resumed');
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
    this.#identifyRefusals = 0;
    this.#backoff.reset();
    this.#firstReady = new Deferred<void>();
    this.#loop = this.#run()
      .catch((error: unknown) =>
        this.#report(new GatewayError('shard loop failed', this.id, { cause: error })),
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
      this.#backoff.reset();
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
    return this.#checkpoint.current;
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
      const attempt = new SessionAttempt(this.#host, this.#connection, mode);
      this.#attempt = attempt;
      // A 'connecting' listener may have paused the shard a moment ago.
      if (this.#reading.paused) attempt.pause();
      const end = await attempt.ended;
      this.#attempt = undefined;
      if (this.#stability.ended(Date.now())) this.#backoff.reset();
      if (end.reason === 'closed') this.#lastCloseCode = end.code;
      if (end.reason === 'stopped') {
        await this.#closeConnection(attempt);
        break;
      }
      const plan = planRecovery({
        end,
        attempt,
        hasSession: this.#checkpoint.current !== undefined,
        ruleFor: this.#ruleFor,
        authFailures: this.#authFailures,
        maxAuthFailures: this.#maxAuthFailures,
        identifyRefusals: this.#identifyRefusals,
        sendWindowResetMs: attempt.msUntilSendWindowReset(),
      });
      const code = end.reason === 'closed' ? end.code : undefined;
      if (plan.action === 'fatal') {
        await this.#becomeFatal(plan, code);
        return;
      }
      delayMs = await this.#prepareReconnect(plan, attempt);
      mode = plan.mode;
      this.#emitSafe('close', { code, reason: plan.why, next: plan.mode, delayMs });
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
      this.#debug('reading paused; connecting once resumed');
      this.#wake = new AbortController();
      await this.#reading.whenResumed(this.#wake.signal);
    }
    this.#wake = undefined;
  }

  async #initialMode(): Promise<'resume' | 'identify'> {
    try {
      const stored = await this.#checkpoint.load(this.total);
      if (stored !== undefined) {
        this.#sequence.value = stored.seq;
        this.#debug(`found a stored session (seq ${stored.seq}); resuming`);
        return 'resume';
      }
    } catch (error) {
      this.#report(
        new GatewayError('could not read the stored session; identifying', this.id, { cause: error }),
      );
    }
    return 'identify';
  }

  /** The shard's side of a {@link SessionAttempt}. */
  #attemptHost(identifyQueue: IdentifyQueue): AttemptHost {
    // Closures, not `this`: the attempt sees exactly these members and nothing else of the shard.
    const shard = this;
    return {
      shardId: this.id,
      shardCount: this.total,
      protocol: this.#protocol,
      tokens: this.#tokens,
      identifyQueue,
      checkpoint: this.#checkpoint,
      closeGraceMs: this.#closeGraceMs,
      sequence: this.#sequence,
      identifyParams: (accessToken) => this.#identifyParams(accessToken),
      enter: (state) => this.#setState(state),
      ready: (detail) => this.#becomeReady(detail),
      dispatch: (payload) => this.#emitDispatch(payload),
      heartbeat: (latency) => {
        this.#latency = latency;
        if (this.#stability.provenAt(Date.now())) this.#backoff.reset();
        this.#emitSafe('heartbeat', latency);
      },
      debug: (message) => this.#debug(message),
      report: (error) => this.#report(error),
    };
  }

  #identifyParams(accessToken: string): IdentifyParams {
    const params = { accessToken, intents: this.#options.intents, shard: [this.id, this.total] as const };
    const { presence } = this.#options;
    if (presence === undefined) return params;
    if (this.#protocol.supportsPresence) return { ...params, presence };
    if (!this.#presenceNoted) {
      this.#presenceNoted = true;
      this.#debug(`presence not sent: the ${this.#protocol.name} gateway has no presence support`);
    }
    return params;
  }

  #becomeReady(detail: string): void {
    this.#reconnectLog.recovered(this.#attempt?.mode === 'resume' ? 'resumed' : 'identified', Date.now());
    // The back-off starts over only once this connection proves stable, not at READY.
    this.#stability.ready(Date.now());
    this.#authFailures = 0;
    this.#identifyRefusals = 0;
    this.#debug(detail);
    this.#setState('ready');
    this.#firstReady.resolve();
  }

  async #prepareReconnect(
    plan: Recovery & { action: 'reconnect' },
    attempt: SessionAttempt,
  ): Promise<number> {
    this.#reconnects++;
    if (plan.identifyRefused) this.#identifyRefusals++;
    if (plan.refreshToken) {
      this.#authFailures++;
      if (attempt.token !== undefined) this.#tokens.invalidate(attempt.token);
    }
    if (plan.dropSession && this.#checkpoint.current !== undefined) {
      this.#sequence.value = null;
      await this.#checkpoint.clear();
    }
    if (plan.resetBackoff) this.#backoff.reset();
    return Math.max(this.#backoff.next(), plan.minDelayMs);
  }

  async #becomeFatal(plan: Recovery & { action: 'fatal' }, closeCode: number | undefined): Promise<void> {
    const error = fatalErrorFor(plan, this.id, this.#options.intents, this.#options.intentName);
    this.#fatalError = error;
    this.#emitSafe('close', { code: closeCode, reason: plan.meaning, next: 'fatal', delayMs: 0 });
    this.#sequence.value = null;
    await this.#checkpoint.clear();
    this.#report(error);
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
    if (stop.invalidateSession) this.#sequence.value = null;
    const persist = stop.invalidateSession ? this.#checkpoint.clear() : this.#checkpoint.flush();
    await waitAtMost(persist, Math.max(0, stop.deadline - Date.now()));
    this.#reconnectLog.reset();
    this.#setState('closed');
    this.#firstReady.reject(new GatewayError('closed before it became ready', this.id));
  }

  #setState(next: ShardState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#log.debug(`${previous} → ${next}`);
    this.#emitSafe('state', next, previous);
  }

  #debug(message: string): void {
    this.#log.debug(message);
    if (this.listenerCount('debug') > 0) this.#emitSafe('debug', message);
  }

  /** Reports a problem to `error` listeners, or to the log when there are none (never throws). */
  #report(error: Error): void {
    if (this.listenerCount('error') === 0) {
      this.#log.error(error.message);
      return;
    }
    try {
      this.emit('error', error);
    } catch (thrown) {
      this.#log.error(`an 'error' listener threw: ${String(thrown)}`);
    }
  }

  /** {@link Shard.#emitSafe} for the one event of every frame, without its argument array. */
  #emitDispatch(payload: DispatchPayload): void {
    try {
      this.emit('dispatch', payload);
    } catch (error) {
      this.#report(new GatewayError(`a 'dispatch' listener threw`, this.id, { cause: error }));
    }
  }

  /** Emits to user listeners; a listener that throws is reported, never crashes the socket. */
  #emitSafe<E extends Exclude<keyof ShardEvents, 'error'>>(
    event: E,
    ...args: Parameters<ShardEvents[E]>
  ): void {
    try {
      this.emit(event, ...args);
    } catch (error) {
      this.#report(new GatewayError(`a '${event}' listener threw`, this.id, { cause: error }));
    }
  }
}
