import type { BotLogger } from '@bot/core';
import type { BotApi, Token } from '@bot/http';
import type { Client } from '../client/Client.js';
import type { TypeMap } from '../data/TypeMap.js';

/** The shard an event came from. */
export interface ShardInfo {
  /** Shard id; `-1` for events delivered by webhook. */
  readonly id: number;
  /** Total shard count; `0` for webhook deliveries. */
  readonly total: number;
  /** Last heartbeat round trip in milliseconds, when measured. */
  readonly latency: number | undefined;
}

/**
 * Passed to every handler method: the API, the bot's token, the shared data map, the shard the
 * event came from, a logger named after that shard, and the client itself.
 */
export class Context {
  /**
   * @param client - the client that received the event
   * @param shard - the shard it came from
   * @param log - a sub-logger named after the shard
   */
  public constructor(
    public readonly client: Client,
    public readonly shard: ShardInfo,
    public readonly log: BotLogger,
  ) {}

  /** The REST API, grouped by resource (`ctx.api.messages.send(…)`). */
  public get api(): BotApi {
    return this.client.api;
  }

  /** The bot's credentials. */
  public get token(): Token {
    return this.client.token;
  }

  /** The shared, typed data map. */
  public get data(): TypeMap {
    return this.client.data;
  }
}
