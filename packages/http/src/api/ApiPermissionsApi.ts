import type { ApiPermissionDemand, ApiPermissionDemandBody, ApiPermissionList } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { apiPermissionEndpoints } from './endpoints/apiPermissions.js';

/** Which APIs a guild grants the bot, and asking for more: `api.apiPermissions`. */
export class ApiPermissionsApi {
  readonly #endpoints: BoundEndpoints<typeof apiPermissionEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, apiPermissionEndpoints);
  }

  /**
   * Lists the APIs the bot may use in a guild and whether each is granted
   * (`GET /guilds/{guild_id}/api_permission`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async list(guildId: string, options?: CallOptions): Promise<ApiPermissionList> {
    return this.#endpoints.list({ guild_id: guildId }, options);
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
    return this.#endpoints.demand({ guild_id: guildId }, body, options);
  }
}
