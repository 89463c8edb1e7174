import type { BotLogger } from '@bot/core';
import type { Token } from '@bot/http';
import { WebhookReceiver, type EventSource, type WebhookServer } from '@bot/gateway';
import type { Dispatcher } from '../dispatch/Dispatcher.js';
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
   * @param options - port, path, host and the server's limits
   * @returns the server, once it listens
   */
  public async listenWebhook(options: WebhookStartOptions): Promise<WebhookServer> {
    const receiver = this.receiver(options);
    this.#webhook = await receiver.listen({
      port: options.port,
      ...(options.host === undefined ? {} : { host: options.host }),
    });
    return this.#webhook;
  }

  /**
   * A webhook receiver feeding this client's handlers, for a server of its own or the
   * application's; see `Client.webhookReceiver`.
   *
   * @param options - path and limits
   */
  public receiver(options: ClientWebhookOptions): WebhookReceiver {
    const stopsBefore = this.#stops;
    const receiver = new WebhookReceiver({
      secret: this.#token.secret,
      appId: this.#token.appId,
      logger: this.#log,
      // Above the high-water mark, and from the shutdown on, deliveries get 503: the platform retries.
      // A receiver made before a shutdown refuses for good, not only while it runs: its server
      // may be the application's, which the shutdown does not close.
      busy: () =>
        this.#stops !== stopsBefore || this.#shuttingDown() || this.#dispatcher.isSaturated(undefined),
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    });
    receiver.on('dispatch', (payload) => this.#dispatcher.deliver(undefined, payload));
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
    return stopping;
  }

  /** A problem the webhook server or a source reports, for `error()`. */
  #reportError(error: unknown): void {
    void this.#dispatcher.reportError(toClientError(error), this.#contexts.of(undefined));
  }
}
