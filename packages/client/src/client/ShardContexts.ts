import { childLogger } from '@bot/core';
import { Context, type ShardInfo } from '../context/Context.js';
import type { Client } from './Client.js';

/** Webhook deliveries (and broker events without a shard) have no shard: their context reports this id. */
const NO_SHARD: ShardInfo = Object.freeze({ id: -1, total: 0, latency: undefined });

/**
 * The {@link Context} handed to handlers, one per shard, made on the shard's first event, and one
 * for events without a shard. A shard's count and latency are read live from the shard; a worker,
 * which runs no shards, reports the count the brokered events carried.
 */
export class ShardContexts {
  readonly #client: Client;
  readonly #byShard = new Map<number, Context>();
  readonly #unsharded: Context;
  /** Shard counts that brokered events carried, by shard id: a worker runs no shards to ask. */
  readonly #sourceShardCounts = new Map<number, number>();

  /** @param client - the client the contexts belong to */
  public constructor(client: Client) {
    this.#client = client;
    this.#unsharded = new Context(client, NO_SHARD, childLogger(client.log, 'webhook'));
  }

  /**
   * The context of `shardId`'s events.
   *
   * @param shardId - the shard, or `undefined` for a webhook or shardless broker delivery
   */
  public of(shardId: number | undefined): Context {
    if (shardId === undefined) return this.#unsharded;
    let ctx = this.#byShard.get(shardId);
    if (!ctx) {
      const manager = this.#client.shardManager;
      const sourceShardCounts = this.#sourceShardCounts;
      const shard: ShardInfo = {
        id: shardId,
        get total() {
          return manager.shards.get(shardId)?.total ?? sourceShardCounts.get(shardId) ?? 0;
        },
        get latency() {
          return manager.shards.get(shardId)?.status().latency;
        },
      };
      ctx = new Context(this.#client, shard, childLogger(this.#client.log, `shard:${shardId}`));
      this.#byShard.set(shardId, ctx);
    }
    return ctx;
  }

  /**
   * Records the shard count a brokered event carried, for `ctx.shard.total` in a worker.
   *
   * @param shardId - the shard that read the event
   * @param count - the bot's shard count it carried
   */
  public recordShardCount(shardId: number, count: number): void {
    this.#sourceShardCounts.set(shardId, count);
  }
}
