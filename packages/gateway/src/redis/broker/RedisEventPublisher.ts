import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { childLogger, createLogger, ValidationError, type BotLogger } from '@bot/http';
import type { ShardManager } from '../../manager/ShardManager.js';
import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import { RedisKeys, type RedisNamespace } from '../RedisKeys.js';
import { RedisOperationError } from '../RedisOperationError.js';
import { withRetries, type RetryPolicy } from '../support/retry.js';
import { PUBLISH } from './scripts.js';
import { encodeDispatch } from './streamEntry.js';

/** Options of a {@link RedisEventPublisher}. */
export interface RedisEventPublisherOptions extends RedisNamespace {
  /** Entries the stream keeps, approximately (`XADD MAXLEN ~`); 100,000 by default. */
  maxLength?: number;
  /**
   * How long an event id stays known, in milliseconds (10 min by default; 0 turns dedupe off).
   * A second publish of the same id within it is dropped: the platform's own repeats, and the
   * replay after a crashed process's shards resume from their last stored sequence number.
   */
  dedupeWindowMs?: number;
  /** Retries of a publish; by default it is retried until it succeeds, waiting up to 5 s between tries. */
  retry?: RetryPolicy;
  /** Publishes waiting for Redis at most (10,000 by default); beyond it new events are refused and reported. */
  maxBacklog?: number;
  /** Logger; a sub-logger named `redis-publisher` is derived from it. */
  logger?: BotLogger;
}

/**
 * The producing side of the event broker: appends each dispatch to a Redis Stream, which worker
 * processes read through a consumer group (`RedisEventConsumer`). The stream is bounded
 * (`maxLength`), and event ids are deduplicated over a window, so a shard that resumes after a
 * crash and replays events already published adds no duplicates.
 *
 * Use the same Redis connection as the `RedisSessionStore` of the shards: commands on one
 * connection run in order, so a stored sequence number never gets ahead of the events published
 * before it, and a crash loses nothing.
 *
 * ```ts
 * const publisher = new RedisEventPublisher(redis, { appId });
 * publisher.attach(manager); // every dispatch of every shard
 * ```
 */
export class RedisEventPublisher {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #maxLength: number;
  readonly #dedupeWindowMs: number;
  readonly #retry: RetryPolicy;
  readonly #maxBacklog: number;
  readonly #log: BotLogger;
  readonly #tokenPrefix = randomUUID();
  #published = 0;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];

  /**
   * @param redis - a connected client
   * @param options - namespace, stream bound, dedupe window and retries
   * @throws {@link ValidationError} for a bad bound, window or namespace
   */
  public constructor(redis: Redis, options: RedisEventPublisherOptions) {
    requireInteger('maxLength', options.maxLength, 1);
    requireInteger('dedupeWindowMs', options.dedupeWindowMs, 0);
    requireInteger('maxBacklog', options.maxBacklog, 1);
    this.#redis = redis;
    this.#keys = new RedisKeys(options);
    this.#maxLength = options.maxLength ?? 100_000;
    this.#dedupeWindowMs = options.dedupeWindowMs ?? 10 * 60_000;
    this.#retry = { attempts: Number.POSITIVE_INFINITY, ...options.retry };
    this.#maxBacklog = options.maxBacklog ?? 10_000;
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'redis-publisher');
  }

  /** Publishes waiting for Redis now. */
  public get backlog(): number {
    return this.#inFlight;
  }

  /**
   * Appends one dispatch to the stream.
   *
   * @param payload - the dispatch
   * @param shardId - the shard it came from (`undefined` for webhook deliveries)
   * @param onRetry - hears of failed tries while the publish keeps retrying
   * @returns `true` once appended, `false` when its event id was published within the dedupe window
   * @throws {@link RedisOperationError} (as a rejection) when the backlog is full or the retries run out
   */
  public async publish(
    payload: DispatchPayload,
    shardId?: number,
    onRetry?: (error: RedisOperationError) => void,
  ): Promise<boolean> {
    const what = `publish ${payload.t}${payload.id === undefined ? '' : ` (event ${payload.id})`}`;
    if (this.#inFlight >= this.#maxBacklog) {
      throw new RedisOperationError(what, shardId, {
        cause: new Error(`${this.#inFlight} events are already waiting for Redis; this one is dropped`),
      });
    }
    const dedupe = payload.id !== undefined && payload.id !== '' && this.#dedupeWindowMs > 0;
    const keys = dedupe ? [this.#keys.events, this.#keys.seenPrefix + payload.id] : [this.#keys.events];
    const [shard, json] = encodeDispatch(payload, shardId);
    const token = `${this.#tokenPrefix}:${++this.#published}`;
    this.#inFlight++;
    try {
      // Safe to repeat: a try that timed out but went through marked the id with our token.
      const entryId = await withRetries(
        { operation: what, shardId },
        () => PUBLISH.run(this.#redis, keys, [this.#dedupeWindowMs, this.#maxLength, shard, json, token]),
        this.#retry,
        onRetry === undefined ? {} : { onRetry },
      );
      return entryId !== null;
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  /**
   * Publishes every dispatch of a shard manager's shards until the returned function is called.
   * Problems are reported on the manager's `error` event with the shard id (so a client's
   * `error()` handlers see them): failed tries at most once per `reportIntervalMs` while Redis is
   * away (the publishes keep retrying), and every event that had to be dropped.
   *
   * @param manager - the shards to publish from
   * @param reportIntervalMs - least time between two reports of failed tries (5 s by default)
   * @returns detaches the publisher again
   */
  public attach(manager: ShardManager, reportIntervalMs = 5_000): () => void {
    let lastRetryReport = Number.NEGATIVE_INFINITY;
    const reportRetry = (error: Error, shardId: number): void => {
      if (Date.now() - lastRetryReport < reportIntervalMs) return;
      lastRetryReport = Date.now();
      report(error, shardId);
    };
    const report = (error: Error, shardId: number): void => {
      if (manager.listenerCount('error') > 0) manager.emit('error', error, shardId);
      else this.#log.error(error.message);
    };
    const onDispatch = (payload: DispatchPayload, shardId: number): void => {
      this.publish(payload, shardId, (error) => reportRetry(error, shardId)).catch((error: unknown) =>
        report(error instanceof Error ? error : new Error(String(error)), shardId),
      );
    };
    manager.on('dispatch', onDispatch);
    return () => manager.off('dispatch', onDispatch);
  }

  /** Resolves once no publish is waiting for Redis (before closing the connection at shutdown). */
  public idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}

function requireInteger(field: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= min)) {
    throw new ValidationError(field, `must be an integer ≥ ${min} (got ${value})`);
  }
}
