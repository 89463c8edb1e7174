import type { GatewayBotInfo, GatewayInfo } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { gatewayEndpoints } from './endpoints/gateway.js';

/** Where and how often the bot may connect to the gateway: `api.gateway`. */
export class GatewayApi {
  readonly #endpoints: BoundEndpoints<typeof gatewayEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, gatewayEndpoints);
  }

  /**
   * Fetches the gateway URL (`GET /gateway`).
   *
   * @param options - signal and timeout
   */
  public async get(options?: CallOptions): Promise<GatewayInfo> {
    return this.#endpoints.get({}, options);
  }

  /**
   * Fetches the gateway URL with the recommended shard count and the session start budget
   * (`GET /gateway/bot`).
   *
   * @param options - signal and timeout
   */
  public async getBot(options?: CallOptions): Promise<GatewayBotInfo> {
    return this.#endpoints.getBot({}, options);
  }
}
