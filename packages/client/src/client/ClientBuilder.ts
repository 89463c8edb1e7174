// Over 300 lines on purpose: the builder is one setter and one getter per client option, each with
// its TSDoc, plus the one check that turns them into a ClientConfig. The reply steps live in
// `replySettings.ts`, which the builder extends.
import { Token, type RateLimitOptions } from '@bot/http';
import type { IdentifyQueue, SessionStore } from '@bot/gateway';
import { TypeMap, type DataKey } from '../data/TypeMap.js';
import { resolveWaterMarks, type BackpressureOptions } from '../dispatch/Backpressure.js';
import { DEFAULT_DISPATCH_POLICY, concurrencyOf, type DispatchPolicy } from '../dispatch/DispatchPolicy.js';
import { checkHandlers } from '../events/checkHandlers.js';
import type { EventHandler, RawEventHandler } from '../events/EventHandler.js';
import { Intents, ValidationError, requireHttpUrl, type BotLogger } from '@bot/core';
import { DEFAULT_PRESENCE, type Activity, type OnlineStatus, type Presence } from '../presence/Presence.js';
import { Client } from './Client.js';
import type { ClientConfig } from './ClientConfig.js';
import { checkGatewayOptions, type GatewayOptions } from './GatewayOptions.js';
import { ReplySettings } from './replySettings.js';
import { shardThreads, withShardThreads, type ShardThreadsOptions } from './shardThreads.js';
import { shutdownDeadlineError } from './shutdown.js';

/** Default of {@link ClientBuilder.shutdownDeadline}: 10 s. */
export const DEFAULT_SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Configures a {@link Client}. Chain the settings, then `await` the builder: awaiting it builds
 * the client (validates the options, wires REST and the gateway) without opening any socket.
 * Returning the builder from an `async` function builds it as well, because the builder is a
 * thenable.
 *
 * ```ts
 * const client = await Client.builder(new Token(appId, secret), Intents.default())
 *   .eventHandler(new Bot())
 *   .data(Uptime, { startedAt: new Date() });
 * await client.start();
 * ```
 */
export class ClientBuilder extends ReplySettings implements PromiseLike<Client> {
  #token: Token | undefined;
  #intents: Intents | number;
  readonly #handlers: EventHandler[] = [];
  readonly #rawHandlers: RawEventHandler[] = [];
  #presence: Presence = DEFAULT_PRESENCE;
  readonly #data = new TypeMap();
  #sandbox = false;
  #apiUrl: string | undefined;
  #tokenUrl: string | undefined;
  #logger: BotLogger | undefined;
  #dispatchPolicy: DispatchPolicy = DEFAULT_DISPATCH_POLICY;
  #identifyQueue: IdentifyQueue | undefined;
  #sessionStore: SessionStore | undefined;
  #rateLimits: RateLimitOptions | undefined;
  #gateway: GatewayOptions = {};
  #threads: ReturnType<typeof shardThreads> | undefined;
  #backpressure: BackpressureOptions = {};
  #shutdownDeadlineMs = DEFAULT_SHUTDOWN_DEADLINE_MS;

  /**
   * @param token - the bot's credentials
   * @param intents - the events to subscribe to; checked when the client is built
   */
  public constructor(token: Token, intents: Intents | number) {
    super();
    this.#token = token;
    this.#intents = intents;
  }

  /** Replaces the credentials. */
  public token(token: Token): this {
    this.#token = token;
    return this;
  }

  /** The credentials, if set. */
  public getToken(): Token | undefined {
    return this.#token;
  }

  /** Replaces the intents. */
  public intents(intents: Intents | number): this {
    this.#intents = intents;
    return this;
  }

  /** The intents as configured (a number is converted when the client is built). */
  public getIntents(): Intents | number {
    return this.#intents;
  }

  /** Adds an event handler; handlers are called in the order they were added. */
  public eventHandler(handler: EventHandler): this {
    this.#handlers.push(handler);
    return this;
  }

  /** The event handlers, in call order. */
  public getEventHandlers(): readonly EventHandler[] {
    return this.#handlers;
  }

  /** Adds a raw handler: it sees every dispatch payload, known or not, before the typed handlers. */
  public rawEventHandler(handler: RawEventHandler): this {
    this.#rawHandlers.push(handler);
    return this;
  }

  /** The raw handlers, in call order. */
  public getRawEventHandlers(): readonly RawEventHandler[] {
    return this.#rawHandlers;
  }

  /** Sets the whole presence. */
  public presence(presence: Presence): this {
    this.#presence = { ...presence };
    return this;
  }

  /** Sets the online status, keeping the activity. */
  public status(status: OnlineStatus): this {
    this.#presence = { ...this.#presence, status };
    return this;
  }

  /** Sets the activity, keeping the status. */
  public activity(activity: Activity): this {
    this.#presence = { ...this.#presence, activity };
    return this;
  }

  /** The presence handed to the gateway. */
  public getPresence(): Presence {
    return this.#presence;
  }

  /** Puts a value in the client's shared data map. */
  public data<T>(key: DataKey<T>, value: T): this {
    this.#data.set(key, value);
    return this;
  }

  /** The data map the client will share with handlers. */
  public getData(): TypeMap {
    return this.#data;
  }

  /** Uses the sandbox API host (`true`) or production (`false`, the default). */
  public sandbox(enabled = true): this {
    this.#sandbox = enabled;
    return this;
  }

  /**
   * Sends REST calls (and the token request) to other hosts: an emulator, a proxy.
   *
   * @param apiUrl - REST base URL, `http://` or `https://`
   * @param tokenUrl - token endpoint, `http://` or `https://`; the platform's when omitted
   * @throws {@link ValidationError} at once for a URL that is not `http(s)://…`: `baseUrl`
   *   (`'localhost:8080'` names the spelling to use) or `baseUrl.tokenUrl`
   */
  public baseUrl(apiUrl: string, tokenUrl?: string): this {
    this.#apiUrl = requireHttpUrl(apiUrl, 'baseUrl');
    this.#tokenUrl = tokenUrl === undefined ? undefined : requireHttpUrl(tokenUrl, 'baseUrl.tokenUrl');
    return this;
  }

  /** Whether the sandbox API host is used. */
  public getSandbox(): boolean {
    return this.#sandbox;
  }

  /** The REST base URL and token endpoint set with {@link ClientBuilder.baseUrl}, if any. */
  public getBaseUrl(): { apiUrl: string | undefined; tokenUrl: string | undefined } {
    return { apiUrl: this.#apiUrl, tokenUrl: this.#tokenUrl };
  }

  /** Logs through your tslog logger (sub-loggers per component and shard are derived from it). */
  public logger(logger: BotLogger): this {
    this.#logger = logger;
    return this;
  }

  /** The logger, if one was set (a default one is made otherwise). */
  public getLogger(): BotLogger | undefined {
    return this.#logger;
  }

  /** How each shard's events are run against handlers; see {@link DispatchPolicy}. */
  public dispatchPolicy(policy: DispatchPolicy): this {
    this.#dispatchPolicy = policy;
    return this;
  }

  /** The dispatch policy. */
  public getDispatchPolicy(): DispatchPolicy {
    return this.#dispatchPolicy;
  }

  /** Paces identifies through your queue (shared between processes, for example). */
  public identifyQueue(queue: IdentifyQueue): this {
    this.#identifyQueue = queue;
    return this;
  }

  /** The identify queue, if one was set (an in-memory one is made otherwise). */
  public getIdentifyQueue(): IdentifyQueue | undefined {
    return this.#identifyQueue;
  }

  /** Keeps sessions in your store, so a restarted process resumes instead of identifying. */
  public sessionStore(store: SessionStore): this {
    this.#sessionStore = store;
    return this;
  }

  /** The session store, if one was set (an in-memory one is made otherwise). */
  public getSessionStore(): SessionStore | undefined {
    return this.#sessionStore;
  }

  /** Tunes REST pacing (messages per second per channel, per-route windows, concurrency). */
  public rateLimits(options: RateLimitOptions): this {
    this.#rateLimits = options;
    return this;
  }

  /** The REST pacing options, if set. */
  public getRateLimits(): RateLimitOptions | undefined {
    return this.#rateLimits;
  }

  /**
   * Tunes the gateway: identify window (`identifyWindowMs`, 5 s), timeouts, reconnect `backoff`,
   * outbound `sendLimit`, `maxPayload`, `closeCodes` overrides, `onFatal` ('stopAll'), the
   * sessions' closing time `shutdownTimeoutMs` (5 s), … — every option of the gateway's
   * `ShardManager` the client does not set itself (see {@link GatewayOptions}), handed over as
   * given. Replaces earlier `gateway()` settings. Checked when the client is built.
   *
   * How many events a shard may hold in memory and how long `shutdown()` waits are the client's
   * own: see {@link ClientBuilder.backpressure} and {@link ClientBuilder.shutdownDeadline}.
   */
  public gateway(options: GatewayOptions): this {
    this.#gateway = options;
    return this;
  }

  /**
   * Runs the shards on `count` worker threads (shard `id` on thread `id % count`): sockets,
   * heartbeats, parsing and resumes happen there, so a handler that keeps the main thread busy
   * delays no heartbeat. Handlers, the identify queue and the session store stay on the main
   * thread. A thread that exits is restarted (`options.maxRestarts`, 5 in a row) and its shards
   * resume. Checked here; see `workerThreads` in the gateway for the options.
   */
  public workers(count: number, options: ShardThreadsOptions = {}): this {
    this.#threads = shardThreads(count, options);
    return this;
  }

  /** The gateway options (empty: the gateway's defaults). */
  public getGateway(): GatewayOptions {
    return this.#gateway;
  }

  /**
   * Bounds the events a shard holds in memory: once its lane holds `highWaterMark` parsed events
   * (running and waiting; 1,000 by default), the client stops reading that shard's socket, and
   * reads again once the lane is down to `lowWaterMark` (half by default). Heartbeats go on
   * meanwhile, and unread events wait on the platform's side. Webhook deliveries beyond the mark
   * are refused with 503, which the platform retries. Checked when the client is built.
   */
  public backpressure(options: BackpressureOptions): this {
    this.#backpressure = { ...options };
    return this;
  }

  /** The back-pressure options as set (empty: the defaults). */
  public getBackpressure(): BackpressureOptions {
    return this.#backpressure;
  }

  /**
   * How long `shutdown()` lets handlers finish the events already read before it gives up on
   * them (reported to `error()` as one `AbandonedEventsError`), in milliseconds; 10 s by default.
   * `shutdown({ deadlineMs })` overrides it per call.
   */
  public shutdownDeadline(ms: number): this {
    this.#shutdownDeadlineMs = ms;
    return this;
  }

  /** The shutdown deadline in milliseconds. */
  public getShutdownDeadline(): number {
    return this.#shutdownDeadlineMs;
  }

  /**
   * Validates the configuration and builds the client. No socket is opened until a `start*`
   * method is called.
   *
   * @throws {@link ValidationError} naming the option that is missing, malformed or in conflict
   */
  public async build(): Promise<Client> {
    return new Client(this.#config());
  }

  /** Makes the builder awaitable: `await builder` is `await builder.build()`. */
  public then<TResult1 = Client, TResult2 = never>(
    onFulfilled?: ((client: Client) => TResult1 | PromiseLike<TResult1>) | null,
    onRejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.build().then(onFulfilled, onRejected);
  }

  #config(): ClientConfig {
    if (!(this.#token instanceof Token)) {
      throw new ValidationError('token', 'must be a Token(appId, secret); got ' + describe(this.#token));
    }
    const intents = Intents.from(this.#intents);
    if (this.#sandbox && this.#apiUrl !== undefined) {
      throw new ValidationError(
        'sandbox',
        'conflicts with baseUrl: choose the sandbox host or a custom URL, not both',
      );
    }
    const policy = this.#dispatchPolicy;
    if (
      policy.mode === 'concurrent' &&
      policy.limit !== undefined &&
      !(Number.isInteger(policy.limit) && policy.limit > 0)
    ) {
      throw new ValidationError('dispatchPolicy.limit', 'must be a positive integer');
    }
    const backpressure = resolveWaterMarks(this.#backpressure, concurrencyOf(policy));
    checkGatewayOptions(this.#gateway);
    const invalidDeadline = shutdownDeadlineError(this.#shutdownDeadlineMs, 'shutdownDeadline');
    if (invalidDeadline) throw invalidDeadline;
    const replies = this.replyConfig();
    if (this.#handlers.length === 0 && this.#rawHandlers.length === 0) {
      throw new ValidationError(
        'eventHandler',
        'is missing: register at least one event handler or raw handler',
      );
    }
    checkHandlers(this.#handlers, this.#rawHandlers);
    return {
      token: this.#token,
      intents,
      handlers: [...this.#handlers],
      rawHandlers: [...this.#rawHandlers],
      presence: this.#presence,
      data: this.#data,
      sandbox: this.#sandbox,
      apiUrl: this.#apiUrl,
      tokenUrl: this.#tokenUrl,
      logger: this.#logger,
      dispatchPolicy: policy,
      identifyQueue: this.#identifyQueue,
      sessionStore: this.#sessionStore,
      rateLimits: this.#rateLimits,
      gateway: withShardThreads(this.#gateway, this.#threads),
      backpressure,
      shutdownDeadlineMs: this.#shutdownDeadlineMs,
      ...replies,
    };
  }
}

// `Client.builder`, defined once and here: the builder module imports the client, not the reverse.
// A non-enumerable, writable property, as a static method is.
Object.defineProperty(Client, 'builder', {
  value: function builder(token: Token, intents: Intents | number): ClientBuilder {
    return new ClientBuilder(token, intents);
  },
  writable: true,
  configurable: true,
});

function describe(value: unknown): string {
  return value === undefined || value === null ? String(value) : typeof value;
}
