import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { childLogger, createLogger, optionalInteger, ValidationError, type BotLogger } from '@bot/core';
import type { ShardManager } from '../../manager/ShardManager.js';
import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import type { ShardState } from '../../shard/ShardState.js';
import { DEFAULT_DEDUPE_WINDOW_MS } from '../replayWindow.js';
import { RedisKeys } from '../RedisKeys.js';
import { RedisOperationError } from '../RedisOperationError.js';
import { failureKind } from '../support/failureKind.js';
import { withRetries, type RetryPolicy } from '../support/retry.js';
import type { PublishedSeqSource } from '../session/PublishedSeqSource.js';
import { parkEvent, type DeadLetterStream } from './parkEvent.js';
import { PublishWatermark } from './PublishWatermark.js';
import type { PublishOptions, RedisEventPublisherOptions } from './RedisEventPublisherOptions.js';
import { ADVANCE_SESSION } from '../session/scripts.js';
import { PUBLISH } from './scripts.js';
import { encodeDispatch, entryBytes } from './streamEntry.js';
import { UnpublishedEventError } from './UnpublishedEventError.js';

/**
 * How long the marker of a publish without an event id lives: far longer than the tries of one
 * publish are apart, short enough for the markers not to pile up.
 */
const PUBLISH_MARKER_MS = 10 * 60_000;

/** The session a shard's publishes checkpoint. */
interface FollowedSession {
  id: string;
  /** The highest seq a publish confirmed stored. */
  durable: number | undefined;
  /** The highest seq a publish began with. */
  highest: number | undefined;
  /** A checkpoint of its own (no event) is under way. */
  advancing: boolean;
  onMissing: (() => void) | undefined;
  /** Whether `onMissing` was called since the session was last found. */
  missingReported: boolean;
}

/**
 * The producing side of the event broker: appends each dispatch to a Redis Stream, which worker
 * processes read through a consumer group (`RedisEventConsumer`). The stream is bounded
 * (`maxLength`), and event ids are deduplicated over a window, so a shard that resumes after a
 * crash and replays events already published adds no duplicates. A publish retried after a
 * timeout is appended once, whether or not the first try had gone through.
 *
 * A publish is retried while its failure is transient (the connection, or a passing state of the
 * server such as `LOADING` or `OOM`). An event Redis refuses for good (`WRONGTYPE`, `ERR …`), or
 * whose entry is over `maxEntryBytes`, is parked in the dead-letter stream with the reason and
 * reported, so it never holds its shard's sequence number back. The backlog of publishes waiting
 * for Redis is bounded by count and by bytes; an event beyond either bound is dropped and reported.
 * Every event that does not reach the stream is reported as an {@link UnpublishedEventError}
 * carrying its payload.
 *
 * It tracks, per shard, which sequence numbers are still being published: give it to the
 * `RedisSessionStore` of the same shards (option `publisher`) and a stored sequence number never
 * passes an event that is not in the stream yet, whatever order Redis confirms the publishes in.
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
  readonly #maxLength: number;
  readonly #dedupeWindowMs: number;
  readonly #retry: RetryPolicy;
  readonly #maxBacklog: number;
  readonly #maxBacklogBytes: number;
  readonly #maxEntryBytes: number;
  readonly #deadLetters: DeadLetterStream;
  readonly #log: BotLogger;
  readonly #tokenPrefix = randomUUID();
  readonly #watermark = new PublishWatermark();
  /** Per shard, the session its publishes checkpoint, and how far a publish confirmed it stored. */
  readonly #sessions = new Map<number, FollowedSession>();
  #published = 0;
  #inFlight = 0;
  #inFlightBytes = 0;
  #idleWaiters: (() => void)[] = [];

  /**
   * @param redis - a connected client
   * @param options - namespace, stream bound, dedupe window, retries and backlog bounds
   * @throws {@link ValidationError} for a bad bound, window or namespace
   */
  public constructor(redis: Redis, options: RedisEventPublisherOptions) {
    optionalInteger(options.maxLength, 'maxLength', 1);
    optionalInteger(options.dedupeWindowMs, 'dedupeWindowMs', 0);
    optionalInteger(options.maxBacklog, 'maxBacklog', 1);
    optionalInteger(options.maxEntryBytes, 'maxEntryBytes', 1);
    optionalInteger(options.maxBacklogBytes, 'maxBacklogBytes', 1);
    optionalInteger(options.deadLetterMaxLength, 'deadLetterMaxLength', 1);
    this.#redis = redis;
    this.#keys = new RedisKeys(options);
    this.#maxLength = options.maxLength ?? 100_000;
    this.#dedupeWindowMs = options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
    this.#retry = { attempts: Number.POSITIVE_INFINITY, ...options.retry };
    this.#maxBacklog = options.maxBacklog ?? 10_000;
    this.#maxEntryBytes = options.maxEntryBytes ?? 4 * 1024 * 1024;
    this.#maxBacklogBytes = options.maxBacklogBytes ?? 64 * 1024 * 1024;
    if (this.#maxBacklogBytes < this.#maxEntryBytes) {
      throw new ValidationError(
        'maxBacklogBytes',
        `must be at least maxEntryBytes (${this.#maxEntryBytes}), or no entry of the largest size fits`,
      );
    }
    this.#deadLetters = {
      redis,
      key: this.#keys.deadLetters,
      maxLength: options.deadLetterMaxLength ?? 10_000,
      retry: this.#retry,
    };
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'redis-publisher');
  }

  /** Publishes waiting for Redis now. */
  public get backlog(): number {
    return this.#inFlight;
  }

  /** Bytes of the entries waiting for Redis now. */
  public get backlogBytes(): number {
    return this.#inFlightBytes;
  }

  /** {@inheritDoc PublishedSeqSource.dedupeWindowMs} */
  public get dedupeWindowMs(): number {
    return this.#dedupeWindowMs;
  }

  /** {@inheritDoc PublishedSeqSource.publishedUpTo} */
  public publishedUpTo(shardId: number, seq: number): number {
    return this.#watermark.publishedUpTo(shardId, seq);
  }

  /** {@inheritDoc PublishedSeqSource.whenPublished} */
  public whenPublished(shardId: number, seq: number): Promise<void> {
    return this.#watermark.whenPublished(shardId, seq);
  }

  /** {@inheritDoc PublishedSeqSource.followSession} */
  public followSession(shardId: number, sessionId: string | undefined, onMissing?: () => void): void {
    if (sessionId === undefined) this.#sessions.delete(shardId);
    else if (this.#sessions.get(shardId)?.id !== sessionId) {
      this.#sessions.set(shardId, {
        id: sessionId,
        durable: undefined,
        highest: undefined,
        advancing: false,
        onMissing,
        missingReported: false,
      });
    }
  }

  /** {@inheritDoc PublishedSeqSource.durableSeq} */
  public durableSeq(shardId: number, sessionId: string): number | undefined {
    const session = this.#sessions.get(shardId);
    return session?.id === sessionId ? session.durable : undefined;
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
   * @returns `true` once appended, `false` when its event id was published within the dedupe window
   * @throws {@link UnpublishedEventError} (as a rejection) naming why the event is not in the stream
   */
  public async publish(
    payload: DispatchPayload,
    shardId?: number,
    options: PublishOptions = {},
  ): Promise<boolean> {
    const what = `publish ${payload.t}${payload.id === undefined ? '' : ` (event ${payload.id})`}`;
    const entry = encodeDispatch(payload, shardId, options.shardCount);
    const bytes = entryBytes(entry);
    const oversized = bytes > this.#maxEntryBytes;
    // An oversized entry is never sent: only its dead letter, without the payload, waits for Redis.
    const heldBytes = oversized ? 0 : bytes;
    if (this.#inFlight >= this.#maxBacklog || this.#inFlightBytes + heldBytes > this.#maxBacklogBytes) {
      throw new UnpublishedEventError(what, shardId, payload, 'backlog-full', {
        cause: new Error(
          `${this.#inFlight} events (${this.#inFlightBytes} bytes) are already waiting for Redis ` +
            `(maxBacklog ${this.#maxBacklog}, maxBacklogBytes ${this.#maxBacklogBytes})`,
        ),
        outcome: 'this one is dropped',
      });
    }
    const seq = shardId !== undefined && typeof payload.s === 'number' ? payload.s : undefined;
    if (shardId !== undefined && seq !== undefined) {
      this.#watermark.begin(shardId, seq);
      const session = this.#sessions.get(shardId);
      if (session !== undefined && (session.highest === undefined || seq > session.highest))
        session.highest = seq;
    }
    this.#inFlight++;
    this.#inFlightBytes += heldBytes;
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
      return await this.#append(what, payload, shardId, entry, options);
    } catch (error) {
      if (error instanceof UnpublishedEventError) throw error;
      const cause = error instanceof RedisOperationError ? error.cause : error;
      if (failureKind(cause) === 'permanent') {
        const refusal = cause instanceof Error ? cause.message : String(cause);
        throw await parkEvent(
          this.#deadLetters,
          what,
          shardId,
          { reason: 'refused', error: refusal, payload, entry, bytes },
          cause,
        );
      }
      throw new UnpublishedEventError(what, shardId, payload, 'unreachable', {
        cause,
        outcome: 'retries used up; this one is dropped',
      });
    } finally {
      if (shardId !== undefined && seq !== undefined) {
        this.#watermark.settle(shardId, seq);
        this.#catchUp(shardId);
      }
      this.#inFlight--;
      this.#inFlightBytes -= heldBytes;
      if (this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  /** Appends the entry, retrying transient failures; `true` once appended, `false` for a repeat. */
  async #append(
    what: string,
    payload: DispatchPayload,
    shardId: number | undefined,
    entry: readonly string[],
    options: PublishOptions,
  ): Promise<boolean> {
    const token = `${this.#tokenPrefix}:${++this.#published}`;
    const dedupe = payload.id !== undefined && payload.id !== '' && this.#dedupeWindowMs > 0;
    const marker = dedupe ? this.#keys.seenPrefix + payload.id : this.#keys.publishPrefix + token;
    const markerMs = dedupe ? this.#dedupeWindowMs : PUBLISH_MARKER_MS;
    // Safe to repeat: a try that timed out but went through set the marker to our token.
    const seq = shardId !== undefined && typeof payload.s === 'number' ? payload.s : undefined;
    const session = shardId === undefined ? undefined : this.#sessions.get(shardId);
    const sessionKey = shardId === undefined ? this.#keys.events : this.#keys.session(shardId);
    const reply = await withRetries(
      { operation: what, shardId },
      () => {
        // Worked out per try: publishes before this one may have landed since the last.
        const durable =
          shardId === undefined || seq === undefined ? 0 : this.#watermark.durableWith(shardId, seq);
        const sessionId = seq === undefined ? '' : (session?.id ?? '');
        return PUBLISH.run(
          this.#redis,
          [this.#keys.events, marker, sessionKey],
          [markerMs, token, sessionId, durable, this.#maxLength, ...entry],
        );
      },
      this.#retry,
      options.onRetry === undefined ? {} : { onRetry: options.onRetry },
    );
    const [outcome, storedSeq] = reply as [string, number];
    if (session !== undefined && seq !== undefined) this.#checkpointed(shardId ?? -1, session, storedSeq);
    return outcome !== 'repeat';
  }

  /**
   * A burst of publishes checkpoints only as far as was published when each was sent: once the
   * last of them lands, one more round trip stores the seq everything is published up to.
   */
  #catchUp(shardId: number): void {
    const session = this.#sessions.get(shardId);
    if (session === undefined || session.advancing || session.highest === undefined) return;
    const upTo = this.#watermark.publishedUpTo(shardId, session.highest);
    if (upTo < session.highest || (session.durable !== undefined && session.durable >= upTo)) return;
    session.advancing = true;
    ADVANCE_SESSION.run(this.#redis, [this.#keys.session(shardId)], [session.id, upTo]).then(
      (stored) => {
        session.advancing = false;
        this.#checkpointed(shardId, session, Number(stored));
        this.#catchUp(shardId);
      },
      (error: unknown) => {
        // The next publish, or the session store's own write, stores it instead.
        session.advancing = false;
        this.#log.debug(`could not checkpoint shard ${shardId}: ${String(error)}`);
      },
    );
  }

  /** Records what a publish's checkpoint stored; a session found missing is written again. */
  #checkpointed(shardId: number, session: FollowedSession, storedSeq: number): void {
    if (this.#sessions.get(shardId) !== session) return;
    if (storedSeq >= 0) {
      session.missingReported = false;
      if (session.durable === undefined || storedSeq > session.durable) session.durable = storedSeq;
    } else if (!session.missingReported) {
      session.missingReported = true;
      session.onMissing?.();
    }
  }

  /**
   * Publishes every dispatch of a shard manager's shards, with their shard count, until the
   * returned function is called. Problems are reported on the manager's `error` event with the
   * shard id (so a client's `error()` handlers see them): failed tries at most once per
   * `reportIntervalMs` while Redis is away (the publishes keep retrying), and every event that did
   * not reach the stream (an {@link UnpublishedEventError}: dropped or parked).
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
    // Looked up once per connection: `manager.shards` builds a new map on every call.
    const shardCounts = new Map<number, number | undefined>();
    const onState = (state: ShardState, _previous: ShardState, shardId: number): void => {
      if (state === 'connecting') shardCounts.delete(shardId);
    };
    const onDispatch = (payload: DispatchPayload, shardId: number): void => {
      if (!shardCounts.has(shardId)) shardCounts.set(shardId, manager.shards.get(shardId)?.total);
      const options = {
        shardCount: shardCounts.get(shardId),
        onRetry: (error: RedisOperationError) => reportRetry(error, shardId),
      };
      this.publish(payload, shardId, options).catch((error: unknown) =>
        report(error instanceof Error ? error : new Error(String(error)), shardId),
      );
    };
    manager.on('state', onState);
    manager.on('dispatch', onDispatch);
    return () => {
      manager.off('dispatch', onDispatch);
      manager.off('state', onState);
    };
  }

  /** Stops the publisher's timers and connection listeners (after `idle()`, at shutdown). */
  public close(): void {}

  /** Resolves once no publish is waiting for Redis (before closing the connection at shutdown). */
  public idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}
