import { ValidationError, type BotLogger } from '@bot/core';
import type { Token } from '@bot/http';
import { WebhookReceiver, type EventSource, type WebhookServer } from '@bot/gateway';
import type { Dispatcher } from '../dispatch/Dispatcher.js';
import { ClientShutDownError } from '../errors/ClientShutDownError.js';
import { toClientError } from '../errors/ClientError.js';
import type { ShardContexts } from './ShardContexts.js';
import type { StoppingSource } from './shutdown.js';
import type { ClientWebhookOptions, WebhookStartOptions } from './WebhookStartOptions.js';

/**
 * Where a client's events come from besides its own shards: the webhook server of
 * `Client.startWebhook` and the event sources of `Client.startFrom`. Both feed the same
 * dispatcher as the shards, report their problems to `error()`, and stop when the client shuts
 * down.
 */
export class ExternalSources {
  readonly #token: Token;
  readonly #log: BotLogger;
  readonly #dispatcher: Dispatcher;
  readonly #contexts: ShardContexts;
  readonly #shuttingDown: () => boolean;
  #webhook: WebhookServer | undefined;
  /**
   * Whether a `startWebhook()` call is listening or about to: a second call is refused, as a
   * server the client holds no handle on would outlive its shutdown.
   */
  #webhookStarted = false;
  readonly #sources = new Set<EventSource>();
  /**
   * Receivers made since the last shutdown. Held until then (one per `webhookReceiver()` call):
   * the shutdown reports what each still counts of its refusals, which the application's own
   * server, still up, would otherwise say only after the client is gone.
   */
  readonly #receivers = new Set<WebhookReceiver>();
  /** Shutdowns so far: a receiver made before the last one takes no more deliveries. */
  #stops = 0;

  /**
   * @param token - the bot's credentials, which verify each webhook delivery's signature
   * @param log - the client's logger
   * @param dispatcher - runs the handlers on what arrives
   * @param contexts - the context problems are reported in
   * @param shuttingDown - whether the client is shutting down: webhook deliveries are refused then
   */
  public constructor(
    token: Token,
    log: BotLogger,
    dispatcher: Dispatcher,
    contexts: ShardContexts,
    shuttingDown: () => boolean,
  ) {
    this.#token = token;
    this.#log = log;
    this.#dispatcher = dispatcher;
    this.#contexts = contexts;
    this.#shuttingDown = shuttingDown;
  }

  /**
   * Starts the webhook server; see `Client.startWebhook`.
   *
   * @param options - port, path, host, the server's limits and the wait for the handlers
   * @returns the server, once it listens
   * @throws {@link ValidationError} (as a rejection) when this client's webhook server listens
   *   already or is starting to
   * @throws {@link ClientShutDownError} (as a rejection) when a shutdown began while it started to
   *   listen (the server is closed again)
   */
  public async listenWebhook(options: WebhookStartOptions): Promise<WebhookServer> {
    if (this.#webhookStarted) {
      const where =
        this.#webhook === undefined ? 'is starting to listen' : `already listens at ${this.#webhook.url}`;
      throw new ValidationError(
        'startWebhook()',
        `was called again, but this client's webhook server ${where}: a client runs one webhook server. ` +
          'Use the server the first call resolved with; for another path or port, mount ' +
          'client.webhookReceiver() on a server of your own',
      );
    }
    const receiver = this.receiver(options);
    const stopsBefore = this.#stops;
    this.#webhookStarted = true;
    let server: WebhookServer;
    try {
      server = await receiver.listen({
        port: options.port,
        ...(options.host === undefined ? {} : { host: options.host }),
      });
    } catch (failed) {
      this.#webhookStarted = false;
      throw failed;
    }
    if (this.#stops !== stopsBefore) {
      // A shutdown began while it started listening: it found no server to close, so close it here.
      this.#webhookStarted = false;
      await server.close();
      throw new ClientShutDownError('startWebhook()', 'running');
    }
    this.#webhook = server;
    return server;
  }

  /**
   * A webhook receiver feeding this client's handlers, for a server of its own or the
   * application's; see `Client.webhookReceiver`.
   *
   * @param options - path, limits and the wait for the handlers
   * @throws {@link ValidationError} for a `path`, limit or `dispatchWaitMs` the receiver refuses
   */
  public receiver(options: ClientWebhookOptions): WebhookReceiver {
    const stopsBefore = this.#stops;
    // A receiver made before a shutdown refuses for good, not only while it runs: its server may
    // be the application's, which the shutdown does not close.
    const retired = (): boolean => this.#stops !== stopsBefore || this.#shuttingDown();
    const receiver = new WebhookReceiver({
      secret: this.#token.secret,
      appId: this.#token.appId,
      logger: this.#log,
      // From the shutdown on, and above the high-water mark, deliveries get 503 unread: the platform
      // retries. Each says which, for whoever reads a proxy's log.
      shuttingDown: retired,
      busy: () => this.#dispatcher.isSaturated(undefined),
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.dispatchWaitMs === undefined ? {} : { dispatchWaitMs: options.dispatchWaitMs }),
    });
    // With a wait, the receiver answers once the handlers are done (or the wait ends): only then is
    // the platform told the event is taken. Without one, nobody waits for the promise.
    const awaitHandlers = (options.dispatchWaitMs ?? 0) > 0;
    // The receiver asks `retired` again once a body is in, so no event reaches this listener after
    // the shutdown began.
    receiver.on('dispatch', (payload) => {
      if (awaitHandlers) return this.#dispatcher.dispatch(undefined, payload);
      this.#dispatcher.deliver(undefined, payload);
      return undefined;
    });
    receiver.on('error', (error) => this.#reportError(error));
    this.#receivers.add(receiver);
    return receiver;
  }

  /**
   * Feeds the handlers from `source` until it stops; see `Client.startFrom`.
   *
   * @param source - where events come from
   */
  public async run(source: EventSource): Promise<void> {
    this.#sources.add(source);
    try {
      await source.start(
        (payload, shardId, meta) => {
          if (shardId !== undefined && meta?.shardCount !== undefined)
            this.#contexts.recordShardCount(shardId, meta.shardCount);
          return this.#dispatcher.dispatch(shardId, payload);
        },
        (error) => this.#reportError(error),
      );
    } finally {
      this.#sources.delete(source);
    }
  }

  /**
   * Closes the webhook server, retires every receiver made so far (each first reports the refusals
   * it still counts), and stops the event sources.
   */
  public stop(): StoppingSource[] {
    this.#stops += 1;
    for (const receiver of this.#receivers) receiver.reportPendingRefusals();
    this.#receivers.clear();
    const stopping: StoppingSource[] = [...this.#sources].map((source) => ({
      name: `event source ${source.constructor.name}`,
      // A stop that throws instead of rejecting is reported the same way.
      stopped: new Promise((resolve) => resolve(source.stop())),
    }));
    if (this.#webhook !== undefined)
      stopping.push({ name: 'the webhook server', stopped: this.#webhook.close() });
    this.#webhook = undefined;
    this.#webhookStarted = false;
    return stopping;
  }

  /** A problem the webhook server or a source reports, for `error()`. */
  #reportError(error: unknown): void {
    void this.#dispatcher.reportError(toClientError(error), this.#contexts.of(undefined));
  }
}
