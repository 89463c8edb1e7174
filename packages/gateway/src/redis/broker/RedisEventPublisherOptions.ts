import type { BotLogger } from '@bot/core';
import type { RedisNamespace } from '../RedisKeys.js';
import type { RedisOperationError } from '../RedisOperationError.js';
import type { RetryPolicy } from '../support/retry.js';

/** Options of a {@link RedisEventPublisher}. */
export interface RedisEventPublisherOptions extends RedisNamespace {
  /** Entries the stream keeps, approximately (`XADD MAXLEN ~`); 100,000 by default. */
  maxLength?: number;
  /**
   * How long an event id stays known, in milliseconds (16 min by default: the session store's
   * default TTL plus one minute; 0 turns dedupe off). A second publish of the same id within it
   * is dropped: the platform's own repeats, and the replay after a crashed process's shards
   * resume from their last stored sequence number. A `RedisSessionStore` given this publisher
   * derives its TTL from this window.
   */
  dedupeWindowMs?: number;
  /**
   * Retries of a publish; by default transient failures are retried until they clear, waiting up
   * to 5 s between tries. A command Redis refuses for good is not retried: the event is parked.
   */
  retry?: RetryPolicy;
  /**
   * Publishes waiting for Redis at most (10,000 by default). An event beyond it is dropped without
   * a round trip and reported (an {@link UnpublishedEventError}, reason `backlog-full`).
   */
  maxBacklog?: number;
  /**
   * Bytes of the entries waiting for Redis at most (64 MiB by default); an event that would take
   * the backlog past it is dropped and reported, like one past `maxBacklog`. At least `maxEntryBytes`.
   */
  maxBacklogBytes?: number;
  /**
   * Largest stream entry in bytes (4 MiB by default, the largest frame a shard accepts by default,
   * its `maxPayload`). A larger one is not sent: it is parked in the dead-letter stream without its
   * payload and reported (reason `oversized`).
   */
  maxEntryBytes?: number;
  /** Entries the dead-letter stream keeps, approximately (`XADD MAXLEN ~`); 10,000 by default. */
  deadLetterMaxLength?: number;
  /** Logger; a sub-logger named `redis-publisher` is derived from it. */
  logger?: BotLogger;
}

/** Options of one {@link RedisEventPublisher.publish}. */
export interface PublishOptions {
  /** The bot's shard count, carried to the workers (their `ctx.shard.total`). */
  shardCount?: number | undefined;
  /** Hears of failed tries while the publish keeps retrying. */
  onRetry?: ((error: RedisOperationError) => void) | undefined;
}
