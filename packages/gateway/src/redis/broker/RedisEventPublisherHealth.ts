import type { Redis } from 'ioredis';
import type { BotLogger } from '@bot/core';
import type { ShardManager } from '../../manager/ShardManager.js';
import { RedisAvailability } from '../support/RedisAvailability.js';
import { RedisUnavailableError } from '../support/RedisUnavailableError.js';
import { ShardPressure } from '../support/ShardPressure.js';
import { trimStream } from '../support/streamTrim.js';
import { UnreadEventsTrimmedError } from '../support/UnreadEventsTrimmedError.js';
import { messageOf } from '@bot/core';

/** Settings of a {@link RedisEventPublisherHealth}. */
export interface HealthSettings {
  redis: Redis;
  stream: string;
  /** Lossy cap (0: none). */
  maxLength: number;
  maxLag: number;
  trimIntervalMs: number;
  log: BotLogger;
}

/**
 * Everything of a publisher that is not one publish: the periodic trim of read entries and the
 * lag it measures, back-pressure onto the attached shards (lag over `maxLag`, or a backlog at
 * half its bounds), the watch over the connection, and where problems are reported (the attached
 * managers' `error` handlers, else the log). docs/redis-deployment.md.
 */
export class RedisEventPublisherHealth {
  readonly #settings: HealthSettings;
  readonly #pressure = new ShardPressure();
  readonly #managers = new Set<ShardManager>();
  #availability: RedisAvailability | undefined;
  #timer: NodeJS.Timeout | undefined;
  #trimming = false;
  #closed = false;
  #lag = 0;
  #oldestPendingMs = -1;
  #unreadTrimmed = 0;

  public constructor(settings: HealthSettings) {
    this.#settings = settings;
  }

  /** The pressure holding the attached shards back. */
  public get pressure(): ShardPressure {
    return this.#pressure;
  }

  /** Unread entries as of the last trim. */
  public get lag(): number {
    return this.#lag;
  }

  /** Age of the oldest entry pending in any group as of the last trim, in ms (-1: none). */
  public get oldestPendingMs(): number {
    return this.#oldestPendingMs;
  }

  /** Entries removed unread over the lossy cap by this process. */
  public get unreadTrimmed(): number {
    return this.#unreadTrimmed;
  }

  /** The connection watch, once started. */
  public get availability(): RedisAvailability | undefined {
    return this.#availability;
  }

  /** Starts the trim timer and the connection watch (once; both stop in {@link close}). */
  public start(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setInterval(() => void this.trim(), this.#settings.trimIntervalMs);
    this.#timer.unref();
    this.#availability = new RedisAvailability(this.#settings.redis, {
      lost: (cause) => {
        this.#settings.log.warn('the connection to Redis is lost; publishes wait for it');
        this.report(new RedisUnavailableError(cause));
      },
      back: (downMs) => this.#settings.log.info(`the connection to Redis is back after ${downMs} ms`),
    });
  }

  /**
   * Pauses the attached shards once the publish backlog reaches half of either bound, and lets
   * them read again once it is down to a quarter: an outage holds events on the platform, not in
   * memory.
   *
   * @param count - publishes waiting for Redis
   * @param share - the larger of count and bytes as a share of their bound
   */
  public backlog(count: number, share: number): void {
    const held = this.#pressure.reasons.includes('backlog');
    if (!held && share >= 0.5) {
      this.#settings.log.warn(
        `${count} publishes wait for Redis: shards pause reading until they are through`,
      );
      this.#pressure.set('backlog', true);
    } else if (held && share <= 0.25) {
      this.#settings.log.info('the publish backlog is down: shards read again');
      this.#pressure.set('backlog', false);
    }
  }

  /**
   * Reports problems to a manager's `error` handlers and applies back-pressure to its shards.
   *
   * @returns detaches it again
   */
  public attach(manager: ShardManager): () => void {
    this.#managers.add(manager);
    const release = this.#pressure.add(manager);
    return () => {
      this.#managers.delete(manager);
      release();
    };
  }

  /**
   * Reports a problem: on each attached manager's `error` event (with `shardId`, or the manager's
   * first shard for a problem of no shard), or in the log when nobody listens.
   */
  public report(error: Error, shardId?: number): void {
    let heard = false;
    for (const manager of this.#managers) {
      const id = shardId ?? manager.shards.keys().next().value;
      if (manager.listenerCount('error') === 0 || id === undefined) continue;
      manager.emit('error', error, id);
      heard = true;
    }
    if (!heard) this.#settings.log.error(error.message);
  }

  /**
   * Trims what every consumer group has read (and over the lossy cap, reporting it), measures the
   * lag, and pauses or resumes the attached shards by it. Runs every `trimIntervalMs` once started;
   * a failure waits for the next run.
   */
  public async trim(): Promise<void> {
    if (this.#trimming || this.#availability?.down === true) return;
    this.#trimming = true;
    const { redis, stream, maxLength, maxLag, log } = this.#settings;
    try {
      // Counting undelivered entries past maxLag changes nothing: the shards pause either way.
      const outcome = await trimStream(redis, stream, maxLength, maxLag);
      this.#lag = outcome.lag;
      this.#oldestPendingMs = outcome.oldestPendingMs;
      if (outcome.unreadTrimmed > 0) {
        this.#unreadTrimmed += outcome.unreadTrimmed;
        this.report(
          new UnreadEventsTrimmedError(outcome.unreadTrimmed, outcome.fromId, outcome.untilId, maxLength),
        );
      }
      const held = this.#pressure.reasons.includes('lag');
      if (!held && outcome.lag >= maxLag) {
        log.warn(
          `${outcome.lag} stream entries are unread (maxLag ${maxLag}): shards pause reading until workers catch up`,
        );
        this.#pressure.set('lag', true);
      } else if (held && outcome.lag < maxLag / 2) {
        log.info(`the stream lag is down to ${outcome.lag}: shards read again`);
        this.#pressure.set('lag', false);
      }
    } catch (error) {
      log.debug(`could not trim the stream: ${messageOf(error)}`);
    } finally {
      this.#trimming = false;
    }
  }

  /** Stops the timer and the connection watch, for good. */
  public close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#availability?.stop();
    this.#availability = undefined;
  }
}
