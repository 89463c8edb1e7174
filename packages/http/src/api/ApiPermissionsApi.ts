import type { ApiPermissionDemand, ApiPermissionDemandBody, ApiPermissionList } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { callEndpoint } from './endpoint.js';
import { apiPermissionEndpoints } from './endpoints/apiPermissions.js';

/** Which APIs a guild grants the bot, and asking for more: `api.apiPermissions`. */
export class ApiPermissionsApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Lists the APIs the bot may use in a guild and whether each is granted
   * (`GET /guilds/{guild_id}/api_permission`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async list(guildId: string, options?: CallOptions): Promise<ApiPermissionList> {
    return callEndpoint(this.#rest, apiPermissionEndpoints.list, { guild_id: guildId }, undefined, options);
  }

  /**
   * Posts an authorisation request for an API to a channel of the guild
   * (`POST /guilds/{guild_id}/api_permission/demand`; three per guild per day by default).
   *
   * @param guildId - the guild
   * @param body - `channel_id`, `api_identify` (`path`, `method`) and `desc`
   * @param options - signal and timeout
   */
  public async demand(
    guildId: string,
    body: ApiPermissionDemandBody,
    options?: CallOptions,
  ): Promise<ApiPermissionDemand> {
    return callEndpoint(this.#rest, apiPermissionEndpoints.demand, { guild_id: guildId }, body, options);
  }
}
