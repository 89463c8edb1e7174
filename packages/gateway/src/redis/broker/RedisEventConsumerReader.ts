import type { Redis } from 'ioredis';
import { MAX_TIMER_DELAY } from '@bot/core';
import { withTimeout } from '../support/retry.js';
import { entriesOfRead, type StreamEntry } from './streamEntry.js';

/** What a {@link RedisEventConsumerReader} reads. */
export interface ReaderSettings {
  /** The consumer's client, duplicated for the blocking reads. */
  redis: Redis;
  /** The stream's key. */
  stream: string;
  group: string;
  consumer: string;
  /** How long past its own block a read may take before it is abandoned. */
  readTimeoutMs: number;
  /** Whether the consumer is stopping: a read then returns nothing without asking Redis. */
  stopping: () => boolean;
}

/**
 * The `XREADGROUP` reads of a consumer, on a connection of their own (a duplicate of the client,
 * opened on first use), so that a blocking read holds up no other command. A read that hangs is
 * abandoned with its connection.
 */
export class RedisEventConsumerReader {
  readonly #settings: ReaderSettings;
  #connection: Redis | undefined;

  /** @param settings - client, stream, names, timeout and the consumer's stop flag */
  public constructor(settings: ReaderSettings) {
    this.#settings = settings;
  }

  /** Reads up to `count` entries never delivered to any consumer, waiting up to `blockMs` for one. */
  public async readNew(count: number, blockMs: number): Promise<StreamEntry[]> {
    const { group, consumer, stream } = this.#settings;
    const args = ['GROUP', group, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, '>'];
    return entriesOfRead(await this.#read(args, blockMs));
  }

  /** Reads up to `count` entries this consumer read before but never acknowledged, after id `after`. */
  public async readOwnPending(count: number, after: string): Promise<StreamEntry[]> {
    const { group, consumer, stream } = this.#settings;
    return entriesOfRead(
      await this.#read(['GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, after], 0),
    );
  }

  /** Closes the connection, cutting a blocking read short; the next read opens a new one. */
  public disconnect(): void {
    this.#connection?.disconnect();
    this.#connection = undefined;
  }

  /** The connection for blocking reads, opened on first use and after a read timed out. */
  #readerConnection(): Redis {
    if (this.#connection === undefined) {
      this.#connection = this.#settings.redis.duplicate();
      // Failures surface through the commands; without a listener ioredis would print each one.
      this.#connection.on('error', () => undefined);
    }
    return this.#connection;
  }

  /** Runs a read on the reader connection; one that hangs is abandoned with its connection. */
  async #read(args: (string | number)[], blockMs: number): Promise<unknown> {
    if (this.#settings.stopping()) return null;
    const reader = this.#readerConnection();
    try {
      const deadline = Math.min(blockMs + this.#settings.readTimeoutMs, MAX_TIMER_DELAY);
      // The deadline covers connecting too: over a link that stopped answering, the connection's
      // ready check would wait for good.
      return await withTimeout(this.#connectAndRead(reader, args), deadline);
    } catch (error) {
      // A read that timed out would be sent again on reconnect and take entries nobody waits for.
      if (this.#connection === reader) this.#connection = undefined;
      reader.disconnect();
      throw error;
    }
  }

  async #connectAndRead(reader: Redis, args: (string | number)[]): Promise<unknown> {
    // A duplicate inherits connectRedis's lazy connect and disabled offline queue: unconnected,
    // its first command would be refused, and every retry would start over with a new duplicate.
    if (reader.status === 'wait') await reader.connect();
    return reader.call('XREADGROUP', ...args);
  }
}
