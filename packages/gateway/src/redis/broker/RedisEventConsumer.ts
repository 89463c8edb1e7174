import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { childLogger, createLogger, sleepUnlessAborted, ValidationError, type BotLogger } from '@bot/core';
import { GatewayError } from '../../errors/GatewayError.js';
import { Backoff } from '../../shard/Backoff.js';
import type { DispatchSink, EventSource, SourceErrorReporter } from '../../transport/EventSource.js';
import { RedisKeys } from '../RedisKeys.js';
import { RedisOperationError } from '../RedisOperationError.js';
import { withRetries, withTimeout } from '../support/retry.js';
import { requireName, requirePositive, type RedisEventConsumerOptions } from './RedisEventConsumerOptions.js';
import { decodeDispatch, entriesOfClaim, entriesOfRead, type StreamEntry } from './streamEntry.js';

/**
 * The consuming side of the event broker, as an {@link EventSource} a client starts from
 * (`client.startFrom(consumer)`): reads the stream through a consumer group, hands each event to
 * the sink (with the bot's shard count, when the publisher knew it), and acknowledges it once the
 * sink has resolved (every handler finished). Entries
 * another worker read but never acknowledged (it died) are taken over after `claimIdleMs`, and
 * entries this worker left pending in a previous life (same consumer name) come first on start,
 * so no event is lost; an event is handled twice only when its worker died before acknowledging.
 *
 * Blocking reads use a connection of their own (a duplicate of the given client). While Redis is
 * away, reads are retried with back-off and each failure goes to the reporter; a stream key that
 * is not a stream ends `start` with an error.
 */
export class RedisEventConsumer implements EventSource {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #group: string;
  readonly #consumer: string;
  readonly #batchSize: number;
  readonly #blockMs: number;
  readonly #claimIdleMs: number;
  readonly #claimIntervalMs: number;
  readonly #readTimeoutMs: number;
  readonly #groupStart: '0' | '$';
  readonly #backoff: Backoff;
  readonly #log: BotLogger;
  #reader: Redis | undefined;
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake = new AbortController();

  /**
   * @param redis - a connected client (duplicated for blocking reads)
   * @param options - namespace, group, names and timings
   * @throws {@link ValidationError} for empty names or non-positive timings
   */
  public constructor(redis: Redis, options: RedisEventConsumerOptions) {
    this.#redis = redis;
    this.#keys = new RedisKeys(options);
    this.#group = requireName('group', options.group ?? 'workers');
    this.#consumer = requireName('consumer', options.consumer ?? `${hostname()}-${process.pid}`);
    this.#batchSize = requirePositive('batchSize', options.batchSize ?? 50);
    this.#blockMs = requirePositive('blockMs', options.blockMs ?? 2_000);
    this.#claimIdleMs = requirePositive('claimIdleMs', options.claimIdleMs ?? 30_000);
    this.#claimIntervalMs = requirePositive(
      'claimIntervalMs',
      options.claimIntervalMs ?? this.#claimIdleMs / 2,
    );
    this.#readTimeoutMs = requirePositive('readTimeoutMs', options.readTimeoutMs ?? 5_000);
    this.#groupStart = options.groupStart === 'end' ? '$' : '0';
    this.#backoff = new Backoff({
      baseMs: options.backoff?.baseMs ?? 500,
      maxMs: options.backoff?.maxMs ?? 30_000,
    });
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'redis-consumer');
  }

  /** This worker's name in the consumer group. */
  public get consumer(): string {
    return this.#consumer;
  }

  /** {@inheritDoc EventSource.start} */
  public start(sink: DispatchSink, report?: SourceErrorReporter): Promise<void> {
    if (this.#running !== undefined) {
      return Promise.reject(new ValidationError('start', 'was called on a consumer that is already running'));
    }
    this.#stopping = false;
    this.#wake = new AbortController();
    const reportTo = report ?? ((error: Error) => this.#log.error(error.message));
    this.#running = this.#run(sink, reportTo).finally(() => {
      this.#reader?.disconnect();
      this.#reader = undefined;
      this.#running = undefined;
    });
    return this.#running;
  }

  /** {@inheritDoc EventSource.stop} */
  public async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake.abort();
    // Cuts a blocking read short; entries being handled finish and are acknowledged first.
    this.#reader?.disconnect();
    await this.#running?.catch(() => undefined);
  }

  /** The connection for blocking reads, opened on first use and after a read timed out. */
  #readerConnection(): Redis {
    if (this.#reader === undefined) {
      this.#reader = this.#redis.duplicate();
      // Failures surface through the commands; without a listener ioredis would print each one.
      this.#reader.on('error', () => undefined);
    }
    return this.#reader;
  }

  /** Runs a read on the reader connection; one that hangs is abandoned with its connection. */
  async #read(args: (string | number)[], blockMs: number): Promise<unknown> {
    if (this.#stopping) return null;
    const reader = this.#readerConnection();
    try {
      // A duplicate inherits connectRedis's lazy connect and disabled offline queue: unconnected,
      // its first command would be refused, and every retry would start over with a new duplicate.
      if (reader.status === 'wait') await reader.connect();
      return await withTimeout(reader.call('XREADGROUP', ...args), blockMs + this.#readTimeoutMs);
    } catch (error) {
      // A read that timed out would be sent again on reconnect and take entries nobody waits for.
      if (this.#reader === reader) this.#reader = undefined;
      reader.disconnect();
      throw error;
    }
  }

  async #run(sink: DispatchSink, report: SourceErrorReporter): Promise<void> {
    let groupReady = false;
    let ownPendingDone = false;
    let nextClaimAt = 0;
    while (!this.#stopping) {
      try {
        if (!groupReady) groupReady = await this.#createGroup();
        if (!ownPendingDone) ownPendingDone = await this.#deliverOwnPending(sink, report);
        if (Date.now() >= nextClaimAt) {
          await this.#claimAbandoned(sink, report);
          nextClaimAt = Date.now() + this.#claimIntervalMs;
        }
        const blockMs = Math.min(this.#blockMs, this.#claimIntervalMs);
        const reply = await this.#read(
          [
            'GROUP',
            this.#group,
            this.#consumer,
            'COUNT',
            this.#batchSize,
            'BLOCK',
            blockMs,
            'STREAMS',
            this.#keys.events,
            '>',
          ],
          blockMs,
        );
        await this.#deliver(entriesOfRead(reply), sink, report);
        this.#backoff.reset();
      } catch (error) {
        if (this.#stopping) break;
        const message = error instanceof Error ? error.message : String(error);
        if (message.startsWith('WRONGTYPE')) {
          throw new RedisOperationError(`read events: ${this.#keys.events} is not a stream`, undefined, {
            cause: error,
          });
        }
        // The group (or the whole stream) was deleted: create it again on the next round.
        if (message.startsWith('NOGROUP')) groupReady = false;
        report(
          new RedisOperationError('read events from the stream (retrying)', undefined, { cause: error }),
        );
        await sleepUnlessAborted(Math.max(this.#backoff.next(), 100), this.#wake.signal);
      }
    }
  }

  /** Creates the group (and the stream) if needed; returns true. */
  async #createGroup(): Promise<boolean> {
    try {
      await this.#redis.xgroup('CREATE', this.#keys.events, this.#group, this.#groupStart, 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
    }
    return true;
  }

  /** Delivers entries this consumer read in a previous life but never acknowledged; true when none are left. */
  async #deliverOwnPending(sink: DispatchSink, report: SourceErrorReporter): Promise<boolean> {
    let after = '0';
    while (!this.#stopping) {
      const reply = await this.#read(
        ['GROUP', this.#group, this.#consumer, 'COUNT', this.#batchSize, 'STREAMS', this.#keys.events, after],
        0,
      );
      const entries = entriesOfRead(reply);
      if (entries.length === 0) return true;
      await this.#deliver(entries, sink, report);
      after = entries.at(-1)?.id ?? after;
    }
    return false;
  }

  /** Takes over entries that stayed unacknowledged for `claimIdleMs` (their worker died) and delivers them. */
  async #claimAbandoned(sink: DispatchSink, report: SourceErrorReporter): Promise<void> {
    let cursor = '0-0';
    do {
      const reply = await this.#redis.call(
        'XAUTOCLAIM',
        this.#keys.events,
        this.#group,
        this.#consumer,
        this.#claimIdleMs,
        cursor,
        'COUNT',
        this.#batchSize,
      );
      const claimed = entriesOfClaim(reply);
      if (claimed.entries.length > 0)
        this.#log.info(`took over ${claimed.entries.length} unacknowledged events`);
      await this.#deliver(claimed.entries, sink, report);
      cursor = claimed.cursor;
    } while (cursor !== '0-0' && !this.#stopping);
  }

  /** Hands a batch to the sink concurrently and acknowledges what it handled. */
  async #deliver(entries: StreamEntry[], sink: DispatchSink, report: SourceErrorReporter): Promise<void> {
    if (entries.length === 0) return;
    const handled: string[] = [];
    await Promise.all(entries.map((entry) => this.#handle(entry, sink, report, handled)));
    if (handled.length === 0) return;
    try {
      await withRetries({ operation: `acknowledge ${handled.length} events` }, () =>
        this.#redis.xack(this.#keys.events, this.#group, ...handled),
      );
    } catch (error) {
      report(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async #handle(
    entry: StreamEntry,
    sink: DispatchSink,
    report: SourceErrorReporter,
    handled: string[],
  ): Promise<void> {
    let dispatch;
    try {
      dispatch = decodeDispatch(entry);
    } catch (error) {
      // Nothing can ever handle it: acknowledge it so it is not delivered again and again.
      report(
        new GatewayError(
          `dropped a stream entry: ${error instanceof Error ? error.message : String(error)}`,
          undefined,
        ),
      );
      handled.push(entry.id);
      return;
    }
    try {
      const meta = dispatch.shardCount === undefined ? {} : { shardCount: dispatch.shardCount };
      await sink(dispatch.payload, dispatch.shardId, meta);
      handled.push(entry.id);
    } catch (error) {
      report(
        new GatewayError(
          `event ${dispatch.payload.id ?? entry.id} (${dispatch.payload.t}) was not handled; it stays pending and is delivered again after ${this.#claimIdleMs} ms`,
          dispatch.shardId,
          { cause: error },
        ),
      );
    }
  }
}
