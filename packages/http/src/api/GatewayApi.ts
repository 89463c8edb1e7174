import type { RestClient } from '../rest/RestClient.js';
import type { GatewayBotInfo, GatewayInfo } from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

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
    return this.#rest.request<GatewayInfo>({
      method: 'GET',
      route: Routes.gateway,
      ...callControls(options),
    });
  }

  /**
   * Fetches the gateway URL with the recommended shard count and the session start budget
   * (`GET /gateway/bot`).
   *
   * @param options - signal and timeout
   */
  public async getBot(options?: CallOptions): Promise<GatewayBotInfo> {
    return this.#rest.request<GatewayBotInfo>({
      method: 'GET',
      route: Routes.gatewayBot,
      ...callControls(options),
    });
  }
}
