import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { raceAbort } from '@bot/core';
import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import type { RedisKeys } from '../RedisKeys.js';
import { withRetries, type RetryPolicy } from '../support/retry.js';
import type { PublishLane, RedisEventPublisherCheckpoints } from './RedisEventPublisherCheckpoints.js';
import type { PublishOptions } from './RedisEventPublisherOptions.js';
import { PUBLISH } from './scripts.js';
import { publishBySequence, type DedupeStorage } from './sequenceDedupe.js';

/**
 * How long the marker of a publish without an event id lives: far longer than the tries of one
 * publish are apart, short enough for the markers not to pile up.
 */
const PUBLISH_MARKER_MS = 10 * 60_000;

/** Client states in which a command is sent rather than queued or refused (see `append`). */
const SENDING_STATES = new Set(['ready', 'wait', 'connect']);

/** What a {@link RedisEventPublisherAppender} writes with. */
export interface AppendSettings {
  redis: Redis;
  keys: RedisKeys;
  /** 0: no dedupe. */
  dedupeWindowMs: number;
  dedupeBy: DedupeStorage;
  retry: RetryPolicy;
  /** Where each append moves its shard's stored seq in the same round trip. */
  checkpoints: RedisEventPublisherCheckpoints;
  /** Aborted when the publisher closes: the tries stop, and one waiting for its answer is cut short. */
  closing: AbortSignal;
}

/**
 * The one Redis write of a publish: appends an entry to the stream, deduplicated (by sequence or
 * by event id within the window, else by a marker unique to this publish, so a retried try that
 * had gone through is not appended twice) and moving the shard's checkpoint in the same script.
 */
export class RedisEventPublisherAppender {
  readonly #settings: AppendSettings;
  readonly #tokenPrefix = randomUUID();
  #published = 0;

  /** @param settings - client, keys, dedupe, retries and checkpoints */
  public constructor(settings: AppendSettings) {
    this.#settings = settings;
  }

  /**
   * Appends the entry, retrying transient failures.
   *
   * @returns `true` once appended, `false` for a repeat
   * @throws what the last try failed with (a `RedisOperationError` once retries are used up)
   */
  public async append(
    what: string,
    payload: DispatchPayload,
    shardId: number | undefined,
    lane: PublishLane | undefined,
    entry: readonly string[],
    options: PublishOptions,
  ): Promise<boolean> {
    const { redis, keys, dedupeWindowMs, dedupeBy, retry, checkpoints, closing } = this.#settings;
    const token = `${this.#tokenPrefix}:${++this.#published}`;
    const dedupe = payload.id !== undefined && payload.id !== '' && dedupeWindowMs > 0;
    const marker = dedupe ? keys.seenPrefix + payload.id : keys.publishPrefix + token;
    const markerMs = dedupe ? dedupeWindowMs : PUBLISH_MARKER_MS;
    const seq = lane !== undefined && typeof payload.s === 'number' ? payload.s : undefined;
    const tryOnce = async (): Promise<unknown> => {
      // A command sent while the client reconnects would wait in its offline queue, unbounded
      // and unseen; failing the try instead keeps the only buffer the bounded backlog.
      if (!SENDING_STATES.has(redis.status)) throw new Error('not connected (the client is reconnecting)');
      const checkpoint = checkpoints.argsFor(lane, seq);
      const event = { shardId, seq, eventId: payload.id, entry };
      const sequenced =
        dedupeBy === 'sequence' && dedupeWindowMs > 0
          ? publishBySequence(redis, keys, event, checkpoint, dedupeWindowMs)
          : undefined;
      if (sequenced !== undefined) return sequenced;
      return PUBLISH.run(
        redis,
        [keys.events, marker, checkpoint.key],
        [markerMs, token, checkpoint.sessionId, checkpoint.durable, ...entry],
      );
    };
    // Safe to repeat: a try that timed out but went through set the marker to our token. Closing
    // the publisher cuts a try short without waiting for its answer (it may still land: see close()).
    const reply = await withRetries(
      { operation: what, shardId },
      () => raceAbort(tryOnce(), [closing]),
      retry,
      { signal: closing, ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }) },
    );
    const [outcome, storedSeq] = reply as [string, number];
    if (lane !== undefined && lane.sessionId !== '')
      checkpoints.landed(lane.shardId, lane.sessionId, storedSeq);
    return outcome !== 'repeat';
  }
}
