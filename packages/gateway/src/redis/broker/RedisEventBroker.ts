import type { Redis } from 'ioredis';
import type { ShardManager } from '../../manager/ShardManager.js';
import type { RedisNamespace } from '../RedisKeys.js';
import { RedisEventConsumer } from './RedisEventConsumer.js';
import type { RedisEventConsumerOptions } from './RedisEventConsumerOptions.js';
import { RedisEventPublisher } from './RedisEventPublisher.js';
import type { RedisEventPublisherOptions } from './RedisEventPublisherOptions.js';

/** Options of a {@link RedisEventConsumer} made by a broker: everything but the namespace. */
export type BrokerConsumerOptions = Omit<RedisEventConsumerOptions, keyof RedisNamespace>;

/**
 * Both ends of the event stream of one bot, sharing a namespace: gateway processes `attach` their
 * shard manager, worker processes start a client from a `consumer()`.
 *
 * ```ts
 * const broker = new RedisEventBroker(redis, { appId });
 * // in a gateway process: the store's seq never passes an unpublished event
 * const sessionStore = new RedisSessionStore(redis, { appId, publisher: broker.publisher });
 * broker.attach(manager);
 * // in a worker process
 * await client.startFrom(broker.consumer({ consumer: 'w-1' }));
 * ```
 */
export class RedisEventBroker {
  /** The producing end. */
  public readonly publisher: RedisEventPublisher;
  readonly #redis: Redis;
  readonly #namespace: RedisNamespace;

  /**
   * @param redis - a connected client
   * @param options - namespace and the publisher's options
   * @throws {@link ValidationError} for invalid options
   */
  public constructor(redis: Redis, options: RedisEventPublisherOptions) {
    this.#redis = redis;
    this.#namespace =
      options.prefix === undefined
        ? { appId: options.appId }
        : { appId: options.appId, prefix: options.prefix };
    this.publisher = new RedisEventPublisher(redis, options);
  }

  /**
   * Publishes every dispatch of the manager's shards (see {@link RedisEventPublisher.attach}).
   *
   * @returns detaches again
   */
  public attach(manager: ShardManager): () => void {
    return this.publisher.attach(manager);
  }

  /**
   * A consumer of this bot's stream, for `client.startFrom(…)`.
   *
   * @param options - group, worker name and timings
   */
  public consumer(options: BrokerConsumerOptions = {}): RedisEventConsumer {
    return new RedisEventConsumer(this.#redis, { ...options, ...this.#namespace });
  }
}
