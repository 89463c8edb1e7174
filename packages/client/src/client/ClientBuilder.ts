import { Token, type RateLimitOptions } from '@bot/http';
import { TypeMap, type DataKey } from '../data/TypeMap.js';
import { checkHandlers } from '../events/checkHandlers.js';
import type { EventHandler, RawEventHandler } from '../events/EventHandler.js';
import { Intents, ValidationError, requireHttpUrl, requireInteger, type BotLogger } from '@bot/core';
import { DEFAULT_PRESENCE, type Activity, type OnlineStatus, type Presence } from '../presence/Presence.js';
import { Client } from './Client.js';
import type { ClientConfig } from './ClientConfig.js';
import { GatewaySettings } from './gatewaySettings.js';
import { checkMainThreadHandlers } from './shardThreads.js';

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
export class ClientBuilder extends GatewaySettings implements PromiseLike<Client> {
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
  #rateLimits: RateLimitOptions | undefined;
  #callSites = false;
  #maxSockets: number | undefined;
  #maxWaitingForConnection: number | undefined;

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
   * Has each REST call record where your code made it (the REST client's `callSites` option), so
   * that its failure's stack ends at that line even when nothing awaits the call where it is made:
   * a handler that returns `ctx.api.…(…)` without `await`, a promise handed to a queue. Costs a
   * stack capture per call (`@bot/http`'s README, "Where a failed call came from", gives the
   * figure). Off, a failure shows the functions awaiting the call (the same section); the
   * `HandlerError` of a handler that returned the call still names its handler and method.
   *
   * @param enabled - `true` to record each call's site, `false` (the default) not to
   */
  public callSites(enabled = true): this {
    if (typeof enabled !== 'boolean') {
      throw new ValidationError('callSites', 'must be true or false; got ' + describe(enabled));
    }
    this.#callSites = enabled;
    return this;
  }

  /** Whether each REST call records where it was made (see {@link ClientBuilder.callSites}). */
  public getCallSites(): boolean {
    return this.#callSites;
  }

  /**
   * How many connections the client's REST calls may hold open to the platform at once (the REST
   * client's `maxSockets`; 64 by default). Calls past it wait for a free connection, within their
   * `timeout`; a `TimeoutError` whose time went to that wait (`spent.queuedFor: 'sockets'`) says to
   * raise it. Raise it for a bot that sends many calls at once to a platform that answers slowly.
   *
   * @example
   * ```ts
   * Client.builder(token, intents).maxSockets(128);
   * ```
   *
   * @param count - a positive integer
   * @throws {@link ValidationError} at once, naming `maxSockets`, for anything else
   */
  public maxSockets(count: number): this {
    this.#maxSockets = requireInteger(count, 'maxSockets', 1);
    return this;
  }

  /** The connection cap set with {@link ClientBuilder.maxSockets}; unset: the REST client's default. */
  public getMaxSockets(): number | undefined {
    return this.#maxSockets;
  }

  /**
   * How many REST calls may wait for a free connection behind {@link ClientBuilder.maxSockets}
   * (the REST client's `maxWaitingForConnection`; 2048 by default). A call past it is refused at
   * once, unsent, with a `ConnectionQueueFullError`, so a platform that stops answering cannot make
   * waiting calls (some 30 KB each) take memory without end. Raise it for larger bursts, lower it
   * to fail sooner.
   *
   * @example
   * ```ts
   * Client.builder(token, intents).maxSockets(128).maxWaitingForConnection(10_000);
   * ```
   *
   * @param count - an integer, 0 or more
   * @throws {@link ValidationError} at once, naming `maxWaitingForConnection`, for anything else
   */
  public maxWaitingForConnection(count: number): this {
    this.#maxWaitingForConnection = requireInteger(count, 'maxWaitingForConnection', 0);
    return this;
  }

  /**
   * The bound set with {@link ClientBuilder.maxWaitingForConnection}; the REST client's default
   * when unset.
   */
  public getMaxWaitingForConnection(): number | undefined {
    return this.#maxWaitingForConnection;
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
      // `Token.fromEnv()!` passes undefined with a variable unset: the message names both.
      const token: unknown = this.#token;
      const todo =
        'pass new Token(appId, secret) to Client.builder or token(); Token.fromEnv() gives undefined when QQ_BOT_APP_ID or QQ_BOT_SECRET is unset or empty';
      throw new ValidationError(
        'token',
        token === undefined || token === null
          ? `is missing (got ${String(token)}): ${todo}`
          : `must be a Token (got a value of type ${typeof token}): ${todo}`,
      );
    }
    const intents = Intents.from(this.#intents);
    if (this.#sandbox && this.#apiUrl !== undefined) {
      throw new ValidationError(
        'sandbox',
        'conflicts with baseUrl: choose the sandbox host or a custom URL, not both',
      );
    }
    const dispatch = this.dispatchConfig();
    const gateway = this.gatewayConfig();
    const shutdown = this.shutdownConfig();
    const replies = this.replyConfig();
    checkHandlers(this.#handlers, this.#rawHandlers);
    if (this.handlersOnThreads()) checkMainThreadHandlers(this.#handlers, this.#rawHandlers);
    else if (this.#handlers.length + this.#rawHandlers.length === 0) {
      throw new ValidationError(
        'eventHandler',
        'is missing: register at least one event handler or raw handler',
      );
    }
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
      ...dispatch,
      rateLimits: this.#rateLimits,
      callSites: this.#callSites,
      ...(this.#maxSockets === undefined ? {} : { maxSockets: this.#maxSockets }),
      ...(this.#maxWaitingForConnection === undefined
        ? {}
        : { maxWaitingForConnection: this.#maxWaitingForConnection }),
      ...gateway,
      ...shutdown,
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
