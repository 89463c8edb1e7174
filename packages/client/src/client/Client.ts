import { BotApi, type RestClient, type Token } from '@bot/http';
import {
  ShutDownBeforeStartError,
  type ShardManager,
  type DispatchPayload,
  type EventSource,
  type ShardRange,
  type WebhookReceiver,
  type WebhookServer,
} from '@bot/gateway';
import type { TypeMap } from '../data/TypeMap.js';
import type { EventHandler } from '../events/EventHandler.js';
import type { Dispatcher } from '../dispatch/Dispatcher.js';
import type { AbandonedEventsError } from '../errors/AbandonedEventsError.js';
import type { SourceStopError } from '../errors/SourceStopError.js';
import { ClientShutDownError } from '../errors/ClientShutDownError.js';
import { toClientError } from '../errors/ClientError.js';
import { createLogger, type BotLogger, type Intents, type ValidationError } from '@bot/core';
import { OpenReplyStreams } from '../models/reply/OpenReplyStreams.js';
import type { ClientConfig } from './ClientConfig.js';
import { registerClientInternals } from './clientInternals.js';
import { SessionWatch, createDispatcher, createRestClient, createShardManager } from './clientParts.js';
import { ExternalSources } from './ExternalSources.js';
import type { ClientBuilder } from './ClientBuilder.js';
import { CLIENT_PAUSE_HOLDERS } from './pauseHolders.js';
import { ReadyAnnouncer, isSessionEvent } from './ReadyAnnouncer.js';
import { ShardContexts } from './ShardContexts.js';
import { dispatchesOnThreads } from './shardThreads.js';
import { StartReports } from './StartReports.js';
import { requireShutdownDeadline, shutDownClient, type ClientShutdownOptions } from './shutdown.js';
import type { ClientWebhookOptions, WebhookStartOptions } from './WebhookStartOptions.js';

export type { ClientShutdownOptions } from './shutdown.js';
export type { ClientWebhookOptions, WebhookStartOptions } from './WebhookStartOptions.js';

/**
 * A running bot: REST API, gateway shards or webhook receiver, and your handlers. Build one with
 * {@link Client.builder}, then start it with one of the `start*` methods.
 *
 * Each `start*` method resolves once its shards have been shut down with {@link Client.shutdown},
 * and rejects with a `FatalGatewayError` when the platform refuses the session for good (a wrong
 * intent, a banned bot).
 */
export class Client {
  /** The bot's credentials. */
  public readonly token: Token;
  /** The intents every shard identifies with. */
  public readonly intents: Intents;
  /** The REST transport (tokens, pacing, retries). */
  public readonly rest: RestClient;
  /** The REST API, grouped by resource. */
  public readonly api: BotApi;
  /** Data shared by all handlers. */
  public readonly data: TypeMap;
  /** The gateway shards. */
  public readonly shardManager: ShardManager;
  /** The client's logger. */
  public readonly log: BotLogger;
  readonly #dispatcher: Dispatcher;
  /** Streamed replies still open, closed by `shutdown()`. */
  readonly #openStreams = new OpenReplyStreams();
  readonly #contexts: ShardContexts;
  readonly #ready: ReadyAnnouncer;
  /** The webhook server and the event sources, which feed the same handlers as the shards. */
  readonly #external: ExternalSources;
  readonly #shutdownDeadlineMs: number;
  /** Whether the handlers run on worker threads, where the shutdown deadline is the shards' close grace. */
  readonly #handlersOnThreads: boolean;
  /** The shutdown in progress: reading stays paused, webhook deliveries are refused. */
  #stopping: Promise<void> | undefined;
  /** Start failures and warnings, to `error()` or under the `start` logger. */
  readonly #startReports: StartReports;
  /** Whether a shutdown completed: REST is released, and nothing starts again. */
  #released = false;
  /** Sessions that end without a resume, whose missed events are lost: reported to `error()`. */
  readonly #sessions: SessionWatch;

  // Defined in ClientBuilder.ts, beside the builder it returns: this module names the builder as a
  // type only, so the client and its builder do not import each other at run time.
  /**
   * Starts configuring a client (a new {@link ClientBuilder}).
   *
   * @param token - the bot's credentials
   * @param intents - the events to subscribe to
   */
  declare public static builder: (token: Token, intents: Intents | number) => ClientBuilder;

  /**
   * Wires a client from a validated configuration; use {@link Client.builder} instead.
   *
   * @param config - what the builder collected
   */
  public constructor(config: ClientConfig) {
    // The client's own copy of the handlers, which code on a worker thread may add an error() to.
    const handlers: EventHandler[] = [...config.handlers];
    config = { ...config, handlers };
    registerClientInternals(this, { handlers, addErrorHandler: (error) => handlers.push({ error }) });
    const logger = config.logger ?? createLogger('bot');
    this.log = logger;
    this.token = config.token;
    this.intents = config.intents;
    this.data = config.data;
    this.rest = createRestClient(config, logger);
    this.api = new BotApi(this.rest);
    this.shardManager = createShardManager(
      config,
      this.rest,
      logger,
      (payload, shardId) => this.#onShardDispatch(payload, shardId),
      // Asked only once shards run, by when the dispatcher exists.
      {
        cap: (shardId, sessionId) => this.#dispatcher.handledCap(shardId, sessionId),
        drained: (shardId) => this.#dispatcher.shardIdle(shardId),
        writeFailed: (error) => void this.#dispatcher.reportError(error, this.#contexts.of(error.shardId)),
      },
    );
    this.#contexts = new ShardContexts(this);
    this.#dispatcher = createDispatcher(config, {
      api: this.api,
      streams: this.#openStreams,
      contexts: this.#contexts,
      shardManager: this.shardManager,
      logger,
    });
    this.#ready = new ReadyAnnouncer(this.shardManager, this.#dispatcher);
    this.#external = new ExternalSources(
      this.token,
      logger,
      this.#dispatcher,
      this.#contexts,
      () => this.#stopping !== undefined,
    );
    this.#shutdownDeadlineMs = config.shutdownDeadlineMs;
    this.#handlersOnThreads = dispatchesOnThreads(config.gateway.strategy);
    this.#startReports = new StartReports(config.handlers, config.intents, logger);
    this.#sessions = new SessionWatch(
      this.shardManager,
      (error, shardId) => void this.#dispatcher.reportError(error, this.#contexts.of(shardId)),
    );
    this.#wireEvents(config.gateway, handlers);
  }

  /**
   * Starts shard 0 of 1: enough for most bots. Runs the bot: the promise settles only when it
   * stops, so code that should run once it is connected goes in a `ready()` or `shardsReady()`
   * handler method, not after an `await` of this call.
   *
   * @returns resolves once {@link Client.shutdown} has shut the shard down; rejects with the
   *   failure that stopped it for good (a wrong secret, refused intents)
   */
  public start(): Promise<void> {
    return this.#starting('start()', () => this.shardManager.start());
  }

  /**
   * Starts as many shards as the platform recommends (`/gateway/bot`). Settles, like
   * {@link Client.start}, only when the bot stops.
   *
   * @returns resolves once {@link Client.shutdown} has shut the shards down; rejects with the
   *   failure that stopped them for good
   */
  public startAutosharded(): Promise<void> {
    return this.#starting('startAutosharded()', () => this.shardManager.startAutosharded());
  }

  /**
   * Starts one shard of `total` (the other shards run elsewhere). Settles, like
   * {@link Client.start}, only when the bot stops.
   *
   * @param id - shard id, `0 ≤ id < total`
   * @param total - shard count of the bot
   * @returns resolves once {@link Client.shutdown} has shut the shard down; rejects with the
   *   failure that stopped it for good
   */
  public startShard(id: number, total: number): Promise<void> {
    return this.#starting(`startShard(${id}, ${total})`, () => this.shardManager.startShard(id, total));
  }

  /**
   * Starts shards `0 … total - 1` in this process. Settles, like {@link Client.start}, only when
   * the bot stops.
   *
   * @param total - shard count
   * @returns resolves once {@link Client.shutdown} has shut the shards down; rejects with the
   *   failure that stopped them for good
   */
  public startShards(total: number): Promise<void> {
    return this.#starting(`startShards(${total})`, () => this.shardManager.startShards(total));
  }

  /**
   * Starts shards `from … to`, both ends included, of `total`: `{ from: 4, to: 7 }, 10` runs
   * shards 4, 5, 6 and 7 here while another process runs the rest.
   *
   * Settles, like {@link Client.start}, only when the bot stops.
   *
   * @param range - first and last shard id, inclusive
   * @param total - shard count of the bot
   * @returns resolves once {@link Client.shutdown} has shut the shards down; rejects with the
   *   failure that stopped them for good
   */
  public startShardRange(range: ShardRange, total: number): Promise<void> {
    return this.#starting('startShardRange(…)', () => this.shardManager.startShardRange(range, total));
  }

  /**
   * Receives events by webhook instead of the gateway: an HTTP server that verifies each
   * delivery's signature and feeds the same handlers. Resolves once it listens. A client runs one
   * such server, closed by {@link Client.shutdown}; for more, mount {@link Client.webhookReceiver}
   * on servers of your own.
   *
   * A delivery is answered as soon as its event is queued for the handlers, unless
   * `dispatchWaitMs` is set: then once the handlers have finished with it, or when the wait ends
   * (see {@link ClientWebhookOptions.dispatchWaitMs} for the trade-off).
   *
   * @param options - port, path, host, the server's limits and the wait for the handlers
   * @returns the server; its `url` tells the port when 0 was asked
   * @throws `ValidationError` (as a rejection) when this client's webhook server listens already,
   *   or is starting to, and for a `path`, limit or `dispatchWaitMs` out of range
   */
  public startWebhook(options: WebhookStartOptions): Promise<WebhookServer> {
    const refused = this.#refuseStart('startWebhook()');
    if (refused) return Promise.reject(refused);
    return this.#external.listenWebhook(options);
  }

  /**
   * Receives events by webhook on the application's own HTTP server: a receiver that answers the
   * platform's URL validation, verifies each delivery's signature and feeds the same handlers as
   * {@link Client.startWebhook}, refusing deliveries with 503 (the platform retries them) above
   * the back-pressure high-water mark and from the shutdown on. Mount `receiver.handler` where
   * deliveries arrive; the server stays the application's to start and close.
   *
   * ```ts
   * const receiver = client.webhookReceiver({ path: '/qq' });
   * http.createServer((req, res) => (req.url === '/health' ? res.end('ok') : receiver.handler(req, res)));
   * ```
   *
   * @param options - path, limits and the wait for the handlers (`dispatchWaitMs`, as for
   *   {@link Client.startWebhook})
   * @returns the receiver; its problems reach `error()`
   */
  public webhookReceiver(options: ClientWebhookOptions = {}): WebhookReceiver {
    const refused = this.#refuseStart('webhookReceiver()');
    if (refused) throw refused;
    return this.#external.receiver(options);
  }

  /**
   * Receives events from another process instead of a socket of its own: a worker that consumes
   * what shards publish to a broker (`broker.consumer()` of `RedisEventBroker` in `@bot/gateway/redis`). Handlers and
   * `Context` are the same as for shards (`ctx.shard.total` is the count the event carried; the
   * latency, measured by the remote shard, is unknown here); the source acknowledges each event
   * once every handler has finished with it, and not the events a shutdown gives up on (their
   * delivery is rejected with the {@link AbandonedEventsError}), so they are delivered again.
   * Resolves when the source stops (on {@link Client.shutdown}).
   *
   * @param source - where events come from
   */
  public startFrom(source: EventSource): Promise<void> {
    const refused = this.#refuseStart('startFrom()');
    if (refused) return Promise.reject(refused);
    return this.#external.run(source);
  }

  /**
   * Stops everything, in this order:
   *
   * 1. stops reading: every shard is paused (heartbeats go on), webhook deliveries are refused
   *    with 503 (500 for one whose body was still arriving) and the server closes, event sources stop (one that fails to is reported to
   *    `error()` as a {@link SourceStopError} and cuts nothing short);
   * 2. lets handlers finish the events already read (at most the back-pressure high-water mark
   *    per shard) until the deadline; events still not handled then are given up and reported to
   *    `error()` as one {@link AbandonedEventsError} listing each (shard, seq, name, id, payload).
   *    A handler that never settles holds nothing past the deadline;
   * 3. closes the sessions, resumable at the last event handled (every earlier one handled too)
   *    unless `invalidateSessions`, so a process started with the same session store resumes
   *    there and gets the events given up on in step 2 again, within the platform's resume window
   *    (at least once: an event handled after the last session write is handled again);
   * 4. closes the streamed replies still open (after step 2, and again here for any a handler
   *    given up on started since): each user sees a finished reply with the text so far, `end()`
   *    rejects with a `ReplyStreamError` `'aborted'` whose cause is one `'shutDown'`, and a new
   *    stream is refused; then releases the REST client.
   *
   * Calling it again while it runs returns the same promise.
   *
   * @param options - `deadlineMs` (the builder's `shutdownDeadline`, 10 s by default) and
   *   `invalidateSessions: true` to close the sessions for good
   * @throws {@link ValidationError} (as a rejection) for a deadline that is not a whole number of
   *   milliseconds from 0 to `MAX_TIMER_DELAY`
   */
  public shutdown(options: ClientShutdownOptions = {}): Promise<void> {
    let deadlineMs: number;
    try {
      deadlineMs = requireShutdownDeadline(options.deadlineMs ?? this.#shutdownDeadlineMs, 'deadlineMs');
    } catch (invalid) {
      return Promise.reject(invalid as Error);
    }
    const parts = {
      shardManager: this.shardManager,
      stopReading: () => this.#external.stop(),
      dispatcher: this.#dispatcher,
      openStreams: this.#openStreams,
      rest: this.rest,
      handlersOnThreads: this.#handlersOnThreads,
    };
    this.#stopping ??= shutDownClient(parts, deadlineMs, options.invalidateSessions ?? false)
      .then(() => {
        this.#released = true;
      })
      .finally(() => {
        this.#stopping = undefined;
        // Shards a failed shutdown left running read again (closed ones are gone from the map),
        // and their sessions move on past where it gave up on events.
        if (!this.#released) this.#dispatcher.readingAgain();
        for (const shard of this.shardManager.shards.values()) shard.resume(CLIENT_PAUSE_HOLDERS.shutdown);
      });
    return this.#stopping;
  }

  /** Resolves once every event received so far has been handled. */
  public idle(): Promise<void> {
    return this.#dispatcher.onIdle();
  }

  /**
   * The refusal of a start once a shutdown began: it has stopped reading already, so what starts
   * meanwhile would outlive it; and once it completed, REST is released.
   */
  #refuseStart(call: string): ClientShutDownError | undefined {
    if (this.#released) return new ClientShutDownError(call, 'completed');
    return this.#stopping === undefined ? undefined : new ClientShutDownError(call, 'running');
  }

  /**
   * Runs a `start*` call and brings its failure to `error()` too: a wrong secret or an unreachable
   * host rejects the call before any shard exists to report it. A fatal close has been reported by
   * its shard already, and is not reported twice. A call that {@link Client.shutdown} cancelled
   * before its shards existed ends the way every shut-down call does: it resolves. A clash with
   * running shards is worded for the client's API (`client.shutdown()`), not the manager's.
   */
  async #starting(call: string, start: () => Promise<void>): Promise<void> {
    const refused = this.#refuseStart(call);
    if (refused) throw refused;
    this.#startReports.gatewayStarting();
    this.#ready.rearm();
    try {
      await start();
    } catch (error) {
      if (error instanceof ShutDownBeforeStartError) return;
      throw await this.#startReports.startFailed(error);
    }
  }

  /** A shard's dispatch: READY and RESUMED count towards `shardsReady`, every event reaches the handlers. */
  #onShardDispatch(payload: DispatchPayload, shardId: number): void {
    if (isSessionEvent(payload.t)) this.#ready.sessionOpened(shardId, payload);
    else this.#dispatcher.deliver(shardId, payload);
  }

  #wireEvents(gateway: ClientConfig['gateway'], handlers: readonly EventHandler[]): void {
    const manager = this.shardManager;
    // With handlers on the threads, no session event reaches this thread: a ready shard counts.
    const onThreads = dispatchesOnThreads(gateway.strategy);
    manager.on('error', (error, shardId) => {
      const [failure, ctx] = [toClientError(error, shardId), this.#contexts.of(shardId)];
      this.#startReports.remember(error);
      // A fatal error also ends the `start*` call: reported where start failures are.
      if (this.#startReports.endsStart(error)) void this.#startReports.report(failure, ctx);
      else void this.#dispatcher.reportError(failure, ctx);
    });
    manager.on('close', (event, shardId) => this.#sessions.closed(event, shardId));
    manager.on('state', (state, previous, shardId) => {
      this.#sessions.state(state, shardId);
      if (state === 'connecting') this.#dispatcher.shardConnecting(shardId);
      if (state !== 'ready') this.#ready.shardLeftReady(shardId);
      else if (onThreads) this.#ready.readyOnThread(shardId);
      void this.#dispatcher.hook('shardStatus', { shardId, state, previous });
    });
    this.rest.on('rateLimited', (event) => void this.#dispatcher.hook('ratelimit', event));
    // Only with a listener does the REST client build an event for every attempt. Handlers added
    // after this (an `error()` from a worker thread) have no `restAttempt`.
    if (handlers.some((handler) => handler.restAttempt !== undefined))
      this.rest.on('attempt', (event) => void this.#dispatcher.hook('restAttempt', event));
  }
}
