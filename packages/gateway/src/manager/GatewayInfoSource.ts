import type { GatewayBotInfo } from '@bot/core';
import type { RequestOptions } from '@bot/http';

/** Where a {@link ShardManager} learns the gateway URL, the shard count and the session budget. */
export interface GatewayInfoSource {
  /** Calls `GET /gateway/bot`. */
  gatewayBot(options?: { signal?: AbortSignal }): Promise<GatewayBotInfo>;
}

/** The one method of `RestClient` the adapter needs. */
export interface RestRequester {
  request<T>(options: RequestOptions): Promise<T>;
}

/**
 * Adapts a `RestClient` from `@bot/http` into a {@link GatewayInfoSource}.
 *
 * @param rest - an authenticated REST client
 */
export function gatewayInfoFromRest(rest: RestRequester): GatewayInfoSource {
  return {
    gatewayBot: async (options = {}) => {
      // Loaded on first use, not with the gateway: a bot running shards alone never needs the REST
      // package (whose module graph is most of the gateway's startup), and one with a `RestClient`
      // has loaded it already.
      const { Routes } = await import('@bot/http');
      return rest.request<GatewayBotInfo>({
        method: 'GET',
        route: Routes.gatewayBot,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    },
  };
}
