import { optionalInteger, requireDuration, ValidationError, type BotLogger } from '@bot/core';
import type { RedisNamespace } from '../RedisKeys.js';
import type { RedisOperationError } from '../RedisOperationError.js';
import { checkRetryPolicy, type RetryPolicy } from '../support/retry.js';
import type { UnreadEventsTrimmedError } from '../support/UnreadEventsTrimmedError.js';
import type { DedupeStorage } from './sequenceDedupe.js';

/** Options of a {@link RedisEventPublisher}. */
export interface RedisEventPublisherOptions extends RedisNamespace {
  /**
   * A lossy cap: entries the stream keeps at most, read or not. Off by default: only entries every
   * consumer group has read are trimmed, and a growing lag pauses the shards instead (`maxLag`).
   * Set it only to prefer losing the oldest unread events over holding the shards back; each
   * trimmed range is then reported (an {@link UnreadEventsTrimmedError}) and counted
   * (`metrics.unreadTrimmed`). docs/redis-deployment.md, "Stream trimming and consumer lag".
   */
  maxLength?: number | undefined;
  /**
   * Unread entries (the slowest consumer group's undelivered and unacknowledged ones, or every
   * entry while no group exists) at which the attached shards stop reading their sockets;
   * they read again below half of it (50,000 by default).
   */
  maxLag?: number | undefined;
  /**
   * How often the stream is trimmed and the lag measured, in milliseconds (1,000 by default; at
   * most 2^31-1, the longest timer Node holds).
   */
  trimIntervalMs?: number | undefined;
  /**
   * How long an event id stays known, in milliseconds (16 min by default: the session store's
   * default TTL plus one minute; 0 turns dedupe off). A second publish of the same id within it
   * is dropped: the platform's own repeats, and the replay after a crashed process's shards
   * resume from their last stored sequence number. A `RedisSessionStore` given this publisher
   * derives its TTL from this window.
   */
  dedupeWindowMs?: number | undefined;
  /**
   * How repeats are recognised (`DedupeStorage`): `'sequence'` (the default) keeps no key per
   * event for the dispatches of checkpointed sessions, `'eventId'` one marker per event id.
   */
  dedupeBy?: DedupeStorage | undefined;
  /**
   * Retries of a publish; by default transient failures are retried until they clear, waiting up
   * to 1 s between tries (so publishing resumes within a second of Redis coming back), until
   * `close()` gives them up. A command Redis refuses for good is not retried: the event is parked.
   * Its durations are at most 2^31-1 ms.
   */
  retry?: RetryPolicy | undefined;
  /**
   * Publishes waiting for Redis at most (10,000 by default). At half of it (or of
   * `maxBacklogBytes`) the attached shards stop reading their sockets until it is down to a quarter,
   * so an outage holds events on the platform rather than in memory; an event beyond the bound
   * itself (one read before the pause took hold, or a publisher without shards) is dropped without
   * a round trip and reported (an {@link UnpublishedEventError}, reason `backlog-full`).
   */
  maxBacklog?: number | undefined;
  /**
   * Bytes of the entries waiting for Redis at most (64 MiB by default); an event that would take
   * the backlog past it is dropped and reported, like one past `maxBacklog`. At least `maxEntryBytes`.
   */
  maxBacklogBytes?: number | undefined;
  /**
   * Largest stream entry in bytes (4 MiB by default, the largest frame a shard accepts by default,
   * its `maxPayload`). A larger one is not sent: it is parked in the dead-letter stream without its
   * payload and reported (reason `oversized`).
   */
  maxEntryBytes?: number | undefined;
  /** Entries the dead-letter stream keeps, approximately (`XADD MAXLEN ~`); 10,000 by default. */
  deadLetterMaxLength?: number | undefined;
  /** Logger; a sub-logger named `redis-publisher` is derived from it. */
  logger?: BotLogger | undefined;
}

/** Options of one {@link RedisEventPublisher.publish}. */
export interface PublishOptions {
  /** The bot's shard count, carried to the workers (their `ctx.shard.total`). */
  shardCount?: number | undefined;
  /** Hears of failed tries while the publish keeps retrying. */
  onRetry?: ((error: RedisOperationError) => void) | undefined;
}

/** Options of {@link RedisEventPublisher.idle}. */
export interface IdleOptions {
  /**
   * The most to wait, in milliseconds (no limit by default). Past it the wait rejects, naming the
   * publishes still waiting for Redis; they go on retrying until `close()` gives them up.
   */
  timeoutMs?: number | undefined;
}

/** A snapshot of a {@link RedisEventPublisher}'s state, for metrics. */
export interface RedisEventPublisherMetrics {
  /** Publishes waiting for Redis. */
  backlog: number;
  /** Bytes of their entries. */
  backlogBytes: number;
  /**
   * Entries the slowest consumer group has not finished as of the last trim (see `maxLag`):
   * pending plus not yet delivered.
   */
  lag: number;
  /**
   * Age of the oldest entry still pending (delivered, not acknowledged) in any group as of the
   * last trim, in milliseconds; -1 when none is. The stream keeps everything after it, so one
   * that keeps growing is an event no worker finishes (see the consumer's `maxDeliveries`).
   */
  oldestPendingMs: number;
  /** Entries removed unread over the lossy cap (`maxLength`), by this process's trims. */
  unreadTrimmed: number;
  /** Why the attached shards are paused now (empty: they read). */
  pausedFor: readonly ('lag' | 'backlog')[];
  /** How many times the attached shards were paused. */
  pauses: number;
  /** Whether the connection to Redis is down now. */
  redisDown: boolean;
  /** Connection losses seen. */
  outages: number;
  /** Milliseconds spent without a connection. */
  outageMs: number;
}

/** Default `maxEntryBytes`: 4 MiB, a shard's default `maxPayload`. */
export const DEFAULT_MAX_ENTRY_BYTES = 4 * 1024 * 1024;

/** Default `maxBacklogBytes`: 64 MiB. */
export const DEFAULT_MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

/**
 * Checks the bounds, durations and dedupe mode of {@link RedisEventPublisherOptions} (the
 * namespace is checked by `RedisKeys`).
 *
 * @throws {@link ValidationError} naming the first option out of range: a count below 1, a
 *   duration that is not positive or longer than Node's timers hold (it would fire after 1 ms),
 *   a `retry.attempts` that is not a whole number from 1 or `Infinity`, an unknown `dedupeBy`,
 *   or a `maxBacklogBytes` below `maxEntryBytes`
 */
export function checkPublisherOptions(options: RedisEventPublisherOptions): void {
  optionalInteger(options.maxLength, 'maxLength', 1);
  optionalInteger(options.maxLag, 'maxLag', 1);
  optionalInteger(options.dedupeWindowMs, 'dedupeWindowMs', 0);
  optionalInteger(options.maxBacklog, 'maxBacklog', 1);
  optionalInteger(options.maxEntryBytes, 'maxEntryBytes', 1);
  optionalInteger(options.maxBacklogBytes, 'maxBacklogBytes', 1);
  optionalInteger(options.deadLetterMaxLength, 'deadLetterMaxLength', 1);
  if (options.trimIntervalMs !== undefined) requireDuration(options.trimIntervalMs, 'trimIntervalMs');
  checkRetryPolicy(options.retry);
  const dedupeBy: unknown = options.dedupeBy ?? 'sequence';
  if (dedupeBy !== 'sequence' && dedupeBy !== 'eventId')
    throw new ValidationError('dedupeBy', `must be 'sequence' or 'eventId' (got ${String(dedupeBy)})`);
  const maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  if ((options.maxBacklogBytes ?? DEFAULT_MAX_BACKLOG_BYTES) < maxEntryBytes) {
    throw new ValidationError(
      'maxBacklogBytes',
      `must be at least maxEntryBytes (${maxEntryBytes}), or no entry of the largest size fits`,
    );
  }
}
