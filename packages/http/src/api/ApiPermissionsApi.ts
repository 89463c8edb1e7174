import type { RestClient } from '../rest/RestClient.js';
import {
  type ApiPermissionDemand,
  type ApiPermissionDemandBody,
  type ApiPermissionList,
  requireId,
  requireObject,
  requireText,
} from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

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
    return this.#rest.request<ApiPermissionList>({
      method: 'GET',
      route: Routes.apiPermissions,
      params: { guild_id: requireId(guildId, 'guildId') },
      ...callControls(options),
    });
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
    const guild = requireId(guildId, 'guildId');
    requireObject(body, 'body');
    requireId(body.channel_id, 'body.channel_id');
    requireObject(body.api_identify, 'body.api_identify');
    requireText(body.api_identify.path, 'body.api_identify.path');
    requireText(body.api_identify.method, 'body.api_identify.method');
    requireText(body.desc, 'body.desc');
    return this.#rest.request<ApiPermissionDemand>({
      method: 'POST',
      route: Routes.apiPermissionDemand,
      params: { guild_id: guild },
      body,
      ...callControls(options),
    });
  }
}
