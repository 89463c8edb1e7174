import type { Redis } from 'ioredis';
import type { BotLogger } from '@bot/core';
import { GatewayError } from '../../errors/GatewayError.js';
import type { SourceErrorReporter } from '../../transport/EventSource.js';
import type { RedisKeys } from '../RedisKeys.js';
import { RedisOperationError } from '../RedisOperationError.js';
import { withRetries, withTimeout } from '../support/retry.js';
import { FORGET_IDLE_CONSUMERS, PARK_ENTRY, RENEW_OWN } from './RedisEventConsumerScripts.js';
import { entriesOfClaim, type StreamEntry } from './streamEntry.js';
import { UndeliverableEventError } from './UndeliverableEventError.js';
import { messageOf } from '@bot/core';

/** Where one consumer stands in its group, and its timings. */
export interface ConsumerGroupSettings {
  redis: Redis;
  keys: RedisKeys;
  group: string;
  consumer: string;
  groupStart: '0' | '$';
  claimIdleMs: number;
  /** 0: never delete other consumers. */
  forgetIdleMs: number;
  /** Deliveries after which an entry is moved to the dead-letter stream (0: never). */
  maxDeliveries: number;
  /**
   * How long a command may go unanswered before it counts as failed: a link that stops answering
   * without a reset would otherwise hold the consumer's loop, and its stop, for good.
   */
  commandTimeoutMs: number;
  log: BotLogger;
}

/** Entries the dead-letter stream keeps, approximately (`XADD MAXLEN ~`). */
const DEAD_LETTER_MAX_LENGTH = 10_000;

/**
 * One consumer's dealings with its group other than reading: creating the group, acknowledging,
 * renewing what it is handling, taking over what dead workers left, and deleting consumers long
 * gone (commands on the shared connection; reads block and use their own).
 */
export class ConsumerGroup {
  readonly #settings: ConsumerGroupSettings;

  /** @param settings - connection, names and timings */
  public constructor(settings: ConsumerGroupSettings) {
    this.#settings = settings;
  }

  /** Creates the group (and the stream) if needed. */
  public async create(): Promise<void> {
    const { redis, keys, group, groupStart, commandTimeoutMs } = this.#settings;
    try {
      await withTimeout(redis.xgroup('CREATE', keys.events, group, groupStart, 'MKSTREAM'), commandTimeoutMs);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
    }
  }

  /** Acknowledges one entry, retrying transient failures; reports one that stays unacknowledged. */
  public async acknowledge(id: string, report: SourceErrorReporter): Promise<void> {
    const { redis, keys, group } = this.#settings;
    try {
      await withRetries({ operation: `acknowledge event entry ${id}` }, () =>
        redis.xack(keys.events, group, id),
      );
    } catch (error) {
      report(error instanceof Error ? error : new Error(messageOf(error)));
    }
  }

  /**
   * Renews the entries being handled here (see `RENEW_OWN`), and reports those another worker
   * has taken over meanwhile (they may be handled twice).
   */
  public async renew(ids: readonly string[], report: SourceErrorReporter): Promise<void> {
    const { redis, keys, group, consumer, claimIdleMs, log, commandTimeoutMs } = this.#settings;
    if (ids.length === 0) return;
    try {
      const lost = await withTimeout(
        RENEW_OWN.run(redis, [keys.events], [group, consumer, ...ids]),
        commandTimeoutMs,
      );
      if (!Array.isArray(lost) || lost.length === 0) return;
      report(
        new GatewayError(
          `${lost.length} events still being handled by ${consumer} were taken over by another worker (not renewed within claimIdleMs, ${claimIdleMs} ms: a stalled event loop?); they may be handled twice`,
          undefined,
        ),
      );
    } catch (error) {
      log.warn(`could not renew the events being handled: ${messageOf(error)}`);
    }
  }

  /**
   * Takes over up to `count` entries nobody renewed for `claimIdleMs`, from `cursor` on, and
   * reports ids whose entries were trimmed from the stream before anyone handled them.
   *
   * @returns the entries, and the cursor to go on from (`0-0` when the scan is complete)
   */
  public async claim(
    cursor: string,
    count: number,
    report: SourceErrorReporter,
  ): Promise<{ cursor: string; entries: StreamEntry[] }> {
    const { redis, keys, group, consumer, claimIdleMs, log, commandTimeoutMs } = this.#settings;
    const reply = await withTimeout(
      redis.call('XAUTOCLAIM', keys.events, group, consumer, claimIdleMs, cursor, 'COUNT', count),
      commandTimeoutMs,
    );
    const claimed = entriesOfClaim(reply);
    if (claimed.entries.length > 0)
      log.info(`took over ${claimed.entries.length} events another worker had not acknowledged`);
    if (claimed.missing.length > 0) report(trimmedBeforeHandled(claimed.missing));
    return claimed;
  }

  /**
   * Acknowledges entries of this consumer deleted from the stream while pending (re-read after a
   * restart as ids without fields): nothing is left to handle. Reports them as lost; one that
   * cannot be acknowledged stays pending, and a takeover scan drops it later.
   */
  public async forgetTrimmed(ids: readonly string[], report: SourceErrorReporter): Promise<void> {
    const { redis, keys, group, commandTimeoutMs } = this.#settings;
    report(trimmedBeforeHandled(ids));
    try {
      await withTimeout(redis.xack(keys.events, group, ...ids), commandTimeoutMs);
    } catch (error) {
      report(
        new RedisOperationError(`acknowledge the trimmed event entries ${ids.join(', ')}`, undefined, {
          cause: error,
        }),
      );
    }
  }

  /**
   * Of entries delivered again (taken over, or re-read after a restart), moves those delivered
   * more than `maxDeliveries` times to the dead-letter stream and acknowledges them, each reported
   * as an {@link UndeliverableEventError} (one that cannot be moved stays pending, reported as a
   * `RedisOperationError` naming it); returns the others, to be handled.
   */
  public async bury(entries: StreamEntry[], report: SourceErrorReporter): Promise<StreamEntry[]> {
    const { redis, keys, group, maxDeliveries, commandTimeoutMs } = this.#settings;
    if (maxDeliveries === 0 || entries.length === 0) return entries;
    const counts = redis.pipeline();
    for (const entry of entries) counts.xpending(keys.events, group, entry.id, entry.id, 1);
    const replies = (await withTimeout(counts.exec(), commandTimeoutMs)) ?? [];
    const keep: StreamEntry[] = [];
    for (const [index, entry] of entries.entries()) {
      const [error, reply] = replies[index] ?? [null, []];
      const deliveries =
        error === null ? Number((reply as [[string, string, number, number]?])[0]?.[3] ?? 0) : 0;
      if (deliveries <= maxDeliveries) {
        keep.push(entry);
        continue;
      }
      try {
        const letter = ['reason', 'undeliverable', 'deliveries', String(deliveries)];
        const deadLetterId = await this.park(entry, letter);
        if (deadLetterId !== undefined)
          report(new UndeliverableEventError(entry.id, deliveries, deadLetterId, eventIdOf(entry)));
      } catch (error) {
        report(error instanceof Error ? error : new Error(messageOf(error)));
      }
    }
    return keep;
  }

  /**
   * Moves an entry to the dead-letter stream and acknowledges it, the acknowledgement only once
   * the dead letter is written (see `PARK_ENTRY`).
   *
   * @param entry - the entry given up on
   * @param letter - the dead letter's own fields (`reason` first); the entry's id (`entry`) and
   *   its fields follow them
   * @returns the dead letter's id; `undefined` when the entry was no longer pending (parked by an
   *   earlier try that landed, or handled by another worker): nothing was written
   * @throws {@link RedisOperationError} naming the entry when it could not be moved: it then stays
   *   pending, and comes back after `claimIdleMs`
   */
  public async park(entry: StreamEntry, letter: readonly string[]): Promise<string | undefined> {
    const { redis, keys, group, claimIdleMs } = this.#settings;
    const operation = `move event entry ${entry.id} to the dead-letter stream ${keys.deadLetters}`;
    try {
      const id = await withRetries({ operation }, () =>
        PARK_ENTRY.run(
          redis,
          [keys.events, keys.deadLetters],
          [group, entry.id, DEAD_LETTER_MAX_LENGTH, ...letter, 'entry', entry.id, ...entry.fields],
        ),
      );
      return id === null || id === undefined ? undefined : String(id);
    } catch (error) {
      throw new RedisOperationError(operation, undefined, {
        cause: error instanceof RedisOperationError ? error.cause : error,
        outcome: `it stays pending and comes back after claimIdleMs (${claimIdleMs} ms); ${keys.deadLetters} must be a stream (or not exist) for it to be moved`,
      });
    }
  }

  /** Deletes other consumers idle for `forgetIdleMs` with nothing pending. */
  public async forgetIdleConsumers(): Promise<void> {
    const { redis, keys, group, consumer, forgetIdleMs, log, commandTimeoutMs } = this.#settings;
    if (forgetIdleMs === 0) return;
    const deleted = await withTimeout(
      FORGET_IDLE_CONSUMERS.run(redis, [keys.events], [group, consumer, forgetIdleMs]),
      commandTimeoutMs,
    );
    if (Array.isArray(deleted) && deleted.length > 0)
      log.info(`deleted idle consumers with nothing pending: ${deleted.join(', ')}`);
  }
}

/** The report of entries left unacknowledged that were deleted from the stream before anyone handled them. */
function trimmedBeforeHandled(ids: readonly string[]): GatewayError {
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');
  return new GatewayError(
    `${ids.length} events left unacknowledged by a worker were trimmed from the stream before anyone handled them (ids ${shown})`,
    undefined,
  );
}

/** The event id inside an entry's payload, if it can be read. */
function eventIdOf(entry: StreamEntry): string | undefined {
  const index = entry.fields.indexOf('payload');
  try {
    const id = (JSON.parse(entry.fields[index + 1] ?? '{}') as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
