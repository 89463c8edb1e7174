import type { GatewayBotInfo, GatewayInfo } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { callEndpoint } from './endpoint.js';
import { gatewayEndpoints } from './endpoints/gateway.js';

/** Where and how often the bot may connect to the gateway: `api.gateway`. */
export class GatewayApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Fetches the gateway URL (`GET /gateway`).
   *
   * @param options - signal and timeout
   */
  public async get(options?: CallOptions): Promise<GatewayInfo> {
    return callEndpoint(this.#rest, gatewayEndpoints.get, {}, undefined, options);
  }

  /**
   * Fetches the gateway URL with the recommended shard count and the session start budget
   * (`GET /gateway/bot`).
   *
   * @param options - signal and timeout
   */
  public async getBot(options?: CallOptions): Promise<GatewayBotInfo> {
    return callEndpoint(this.#rest, gatewayEndpoints.getBot, {}, undefined, options);
  }
}
