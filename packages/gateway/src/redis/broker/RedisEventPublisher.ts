import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import {
  childLogger,
  createLogger,
  requireDuration,
  ValidationError,
  wireName,
  type BotLogger,
} from '@bot/core';
import type { ShardManager } from '../../manager/ShardManager.js';
import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import { DEFAULT_DEDUPE_WINDOW_MS } from '../replayWindow.js';
import { RedisKeys } from '../RedisKeys.js';
import type { PublishedSeqSource } from '../session/PublishedSeqSource.js';
import type { RetryPolicy } from '../support/retry.js';
import { parkEvent, type DeadLetterStream } from './parkEvent.js';
import { RedisEventPublisherAppender } from './RedisEventPublisherAppender.js';
import { RedisEventPublisherBacklog } from './RedisEventPublisherBacklog.js';
import { RedisEventPublisherCheckpoints } from './RedisEventPublisherCheckpoints.js';
import { feedFromManager } from './RedisEventPublisherFeed.js';
import { RedisEventPublisherHealth } from './RedisEventPublisherHealth.js';
import {
  checkPublisherOptions,
  DEFAULT_MAX_BACKLOG_BYTES,
  DEFAULT_MAX_ENTRY_BYTES,
  type IdleOptions,
  type PublishOptions,
  type RedisEventPublisherMetrics,
  type RedisEventPublisherOptions,
} from './RedisEventPublisherOptions.js';
import type { DedupeStorage } from './sequenceDedupe.js';
import { encodeDispatch, entryBytes } from './streamEntry.js';
import { unpublishedAfterFailure } from './unpublishedAfterFailure.js';
import { UnpublishedEventError } from './UnpublishedEventError.js';

/**
 * The producing side of the event broker: appends each dispatch to a Redis Stream, which worker
 * processes read through a consumer group (`RedisEventConsumer`). Event ids are deduplicated over
 * a window, so a shard that resumes after a crash and replays events already published adds no
 * duplicates. A publish retried after a timeout is appended once, whether or not the first try had
 * gone through. docs/redis-deployment.md tells what survives which fault.
 *
 * Nothing unread is lost to trimming: the stream is trimmed below what every consumer group has
 * read, and when workers fall `maxLag` entries behind, the attached shards stop reading their
 * sockets until they catch up. Only an opt-in lossy cap (`maxLength`) removes unread entries, each
 * range reported as an `UnreadEventsTrimmedError`.
 *
 * A publish is retried while its failure is transient (the connection, or a passing state of the
 * server such as `LOADING` or `OOM`). An event Redis refuses for good (`WRONGTYPE`, `ERR …`), or
 * whose entry is over `maxEntryBytes`, is parked in the dead-letter stream with the reason and
 * reported, so it never holds its shard's sequence number back. The backlog of publishes waiting
 * for Redis is bounded by count and by bytes: at half of either bound the attached shards pause,
 * and an event beyond the bound itself is dropped and reported. A lost connection is reported at
 * once (`RedisUnavailableError`). Every event that does not reach the stream is reported as an
 * {@link UnpublishedEventError} carrying its payload.
 *
 * The stream is the checkpoint: give the publisher to the `RedisSessionStore` of the same shards
 * (option `publisher`) and each publish moves the shard's stored seq in the same round trip, to
 * the seq below which every dispatch is in the stream, whatever order Redis confirms publishes in.
 *
 * ```ts
 * const publisher = new RedisEventPublisher(redis, { appId });
 * const sessionStore = new RedisSessionStore(redis, { appId, publisher });
 * publisher.attach(manager); // every dispatch of every shard
 * ```
 */
export class RedisEventPublisher implements PublishedSeqSource {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #dedupeWindowMs: number;
  readonly #dedupeBy: DedupeStorage;
  readonly #retry: RetryPolicy;
  readonly #maxEntryBytes: number;
  readonly #deadLetters: DeadLetterStream;
  readonly #log: BotLogger;
  readonly #checkpoints: RedisEventPublisherCheckpoints;
  readonly #health: RedisEventPublisherHealth;
  readonly #backlog: RedisEventPublisherBacklog;
  readonly #appender: RedisEventPublisherAppender;
  /** Aborted by `close()`: cuts short the publishes still waiting for Redis. */
  readonly #closing = new AbortController();

  /**
   * @param redis - a connected client
   * @param options - namespace, stream bounds, dedupe window, retries and backlog bounds
   * @throws {@link ValidationError} for a bad bound, duration, window, dedupe mode or namespace
   */
  public constructor(redis: Redis, options: RedisEventPublisherOptions) {
    checkPublisherOptions(options);
    // Each publish waiting for Redis listens to it (its try and its retry wait), as many as the
    // backlog's bound holds: load, not a leak, so Node must not warn of one past 10.
    setMaxListeners(0, this.#closing.signal);
    this.#redis = redis;
    this.#keys = new RedisKeys(options);
    this.#dedupeWindowMs = options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
    this.#dedupeBy = options.dedupeBy ?? 'sequence';
    // Per field, so a field given as `undefined` keeps the publisher's default as one left out does.
    this.#retry = {
      ...options.retry,
      attempts: options.retry?.attempts ?? Number.POSITIVE_INFINITY,
      maxDelayMs: options.retry?.maxDelayMs ?? 1_000,
    };
    const maxBacklog = options.maxBacklog ?? 10_000;
    this.#maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    const maxBacklogBytes = options.maxBacklogBytes ?? DEFAULT_MAX_BACKLOG_BYTES;
    this.#deadLetters = {
      redis,
      key: this.#keys.deadLetters,
      maxLength: options.deadLetterMaxLength ?? 10_000,
      retry: this.#retry,
      closing: this.#closing.signal,
    };
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'redis-publisher');
    this.#checkpoints = new RedisEventPublisherCheckpoints(redis, this.#keys, this.#log);
    this.#health = new RedisEventPublisherHealth({
      redis,
      stream: this.#keys.events,
      maxLength: options.maxLength ?? 0,
      maxLag: options.maxLag ?? 50_000,
      trimIntervalMs: options.trimIntervalMs ?? 1_000,
      log: this.#log,
    });
    this.#backlog = new RedisEventPublisherBacklog({ maxBacklog, maxBacklogBytes }, this.#health);
    this.#appender = new RedisEventPublisherAppender({
      redis,
      keys: this.#keys,
      dedupeWindowMs: this.#dedupeWindowMs,
      dedupeBy: this.#dedupeBy,
      retry: this.#retry,
      checkpoints: this.#checkpoints,
      closing: this.#closing.signal,
    });
  }

  /** Publishes waiting for Redis now. */
  public get backlog(): number {
    return this.#backlog.count;
  }

  /** Bytes of the entries waiting for Redis now. */
  public get backlogBytes(): number {
    return this.#backlog.bytes;
  }

  /** A snapshot for metrics: backlog, lag, unread entries trimmed, pauses and outages. */
  public get metrics(): RedisEventPublisherMetrics {
    const availability = this.#health.availability;
    return {
      backlog: this.#backlog.count,
      backlogBytes: this.#backlog.bytes,
      lag: this.#health.lag,
      oldestPendingMs: this.#health.oldestPendingMs,
      unreadTrimmed: this.#health.unreadTrimmed,
      pausedFor: this.#health.pressure.reasons,
      pauses: this.#health.pressure.pauses,
      redisDown: availability?.down ?? false,
      outages: availability?.outages ?? 0,
      outageMs: availability?.downMs ?? 0,
    };
  }

  /** {@inheritDoc PublishedSeqSource.dedupeWindowMs} */
  public get dedupeWindowMs(): number {
    return this.#dedupeWindowMs;
  }

  /** {@inheritDoc PublishedSeqSource.publishedUpTo} */
  public publishedUpTo(shardId: number, seq: number, sessionId?: string): number {
    return this.#checkpoints.publishedUpTo(shardId, seq, sessionId);
  }

  /** {@inheritDoc PublishedSeqSource.whenPublished} */
  public whenPublished(shardId: number, seq: number, sessionId?: string): Promise<void> {
    return this.#checkpoints.whenPublished(shardId, seq, sessionId);
  }

  /** {@inheritDoc PublishedSeqSource.followSession} */
  public followSession(shardId: number, sessionId: string | undefined, onMissing?: () => void): void {
    this.#checkpoints.follow(shardId, sessionId, onMissing);
  }

  /** {@inheritDoc PublishedSeqSource.durableSeq} */
  public durableSeq(shardId: number, sessionId: string): number | undefined {
    return this.#checkpoints.durableSeq(shardId, sessionId);
  }

  /**
   * Appends one dispatch to the stream. An event that does not get there is reported by the
   * rejection, and no longer holds its shard's sequence number back: dropped because the backlog
   * is full, parked in the dead-letter stream because Redis refused it or it is over
   * `maxEntryBytes`, or given up on after a finite `retry.attempts`.
   *
   * @param payload - the dispatch
   * @param shardId - the shard it came from (`undefined` for webhook deliveries)
   * @param options - the bot's shard count, and a listener for failed tries
   * @returns `true` once appended, `false` when the event was in the stream already: published
   *   within the dedupe window, or (dedupe by sequence) put there by an earlier try of this publish
   * @throws {@link UnpublishedEventError} (as a rejection) naming why the event is not in the stream,
   *   also after `close()`
   */
  public async publish(
    payload: DispatchPayload,
    shardId?: number,
    options: PublishOptions = {},
  ): Promise<boolean> {
    const what = `publish ${wireName(payload.t)}${payload.id === undefined ? '' : ` (event ${wireName(payload.id)})`}`;
    if (this.#closing.signal.aborted) {
      throw new UnpublishedEventError(what, shardId, payload, 'closed', {
        cause: new Error('the publisher was closed'),
        outcome: 'publish before close(), or detach the shards first; this one is dropped',
      });
    }
    const entry = encodeDispatch(payload, shardId, options.shardCount);
    const bytes = entryBytes(entry);
    const oversized = bytes > this.#maxEntryBytes;
    // An oversized entry is never sent: only its dead letter, without the payload, waits for Redis.
    const heldBytes = oversized ? 0 : bytes;
    this.#backlog.hold(what, shardId, payload, heldBytes);
    const seq = shardId !== undefined && typeof payload.s === 'number' ? payload.s : undefined;
    // The session is the one followed now, for every try: a later one may belong to a new session.
    const lane = shardId !== undefined && seq !== undefined ? this.#checkpoints.laneOf(shardId) : undefined;
    if (lane !== undefined && seq !== undefined) this.#checkpoints.began(lane, seq);
    this.#health.start();
    try {
      if (oversized) {
        const cause = new Error(`the entry is ${bytes} bytes, over maxEntryBytes (${this.#maxEntryBytes})`);
        throw await parkEvent(
          this.#deadLetters,
          what,
          shardId,
          { reason: 'oversized', error: cause.message, payload, entry, bytes },
          cause,
        );
      }
      return await this.#appender.append(what, payload, shardId, lane, entry, options);
    } catch (error) {
      const event = { payload, entry, bytes };
      const closed = this.#closing.signal.aborted;
      throw await unpublishedAfterFailure(error, this.#deadLetters, what, shardId, event, closed);
    } finally {
      if (lane !== undefined && seq !== undefined) this.#checkpoints.settled(lane, seq);
      this.#backlog.release(heldBytes);
    }
  }

  /**
   * Publishes every dispatch of a shard manager's shards, with their shard count, until the
   * returned function is called, and holds its shards back while the stream lag or the backlog is
   * too high. Problems are reported on the manager's `error` event with the shard id (so a
   * client's `error()` handlers see them): a lost connection at once (`RedisUnavailableError`),
   * failed tries at most once per `reportIntervalMs` while Redis is away (the publishes keep
   * retrying), every event that did not reach the stream (an {@link UnpublishedEventError}: dropped
   * or parked), and unread events trimmed over a lossy cap (`UnreadEventsTrimmedError`).
   *
   * @param manager - the shards to publish from
   * @param reportIntervalMs - least time between two reports of failed tries (5 s by default)
   * @returns detaches the publisher again
   */
  public attach(manager: ShardManager, reportIntervalMs = 5_000): () => void {
    if (this.#closing.signal.aborted) throw new ValidationError('attach', 'was called on a closed publisher');
    const stopFeeding = feedFromManager(
      manager,
      (payload, shardId, options) => this.publish(payload, shardId, options),
      (error, shardId) => this.#health.report(error, shardId),
      reportIntervalMs,
    );
    const detach = this.#health.attach(manager);
    this.#health.start();
    return () => {
      stopFeeding();
      detach();
    };
  }

  /**
   * Trims the stream below what every consumer group has read now (it runs every
   * `trimIntervalMs` anyway once the publisher is in use), and updates the lag and back-pressure.
   */
  public trim(): Promise<void> {
    return this.#health.trim();
  }

  /**
   * Stops the trim timer and the connection watch, and gives up the publishes still waiting for
   * Redis, for good (after `idle()`, at shutdown, before the connection is closed). Each publish
   * given up, and each publish after it, is rejected with an `UnpublishedEventError` (reason
   * `closed`) carrying its payload; `attach` throws. A try whose command was already sent may
   * still land in the stream: the dedupe window drops it should the event be published again.
   */
  public close(): void {
    this.#closing.abort(new Error('cut short by close()'));
    this.#health.close();
  }

  /**
   * Resolves once no publish is waiting for Redis: at shutdown, before `close()` and closing the
   * connection. During an outage the publishes retry until Redis is back, so give a deadline:
   *
   * ```ts
   * await publisher.idle({ timeoutMs: 10_000 }).catch((error) => log.warn(error.message));
   * publisher.close(); // gives up what still waits, each reported with its payload
   * ```
   *
   * @param options - `timeoutMs`: the most to wait (no limit by default)
   * @throws `RedisOperationError` (as a rejection) when publishes still wait after
   *   `timeoutMs`, naming how many; they go on retrying until `close()`
   * @throws {@link ValidationError} (as a rejection) for a `timeoutMs` that is not a positive
   *   duration Node's timers hold
   */
  public async idle(options: IdleOptions = {}): Promise<void> {
    const { timeoutMs } = options;
    return this.#backlog.idle(timeoutMs === undefined ? undefined : requireDuration(timeoutMs, 'timeoutMs'));
  }
}
