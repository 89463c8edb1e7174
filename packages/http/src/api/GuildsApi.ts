import type { RestClient } from '../rest/RestClient.js';
import { type Guild, type MessageSetting, requireId } from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** Guilds: `api.guilds`. */
export class GuildsApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Fetches a guild (`GET /guilds/{guild_id}`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async get(guildId: string, options?: CallOptions): Promise<Guild> {
    return this.#rest.request<Guild>({
      method: 'GET',
      route: Routes.guild,
      params: { guild_id: requireId(guildId, 'guildId') },
      ...callControls(options),
    });
  }

  /**
   * Fetches the bot's message frequency settings in a guild (`GET /guilds/{guild_id}/message/setting`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async getMessageSetting(guildId: string, options?: CallOptions): Promise<MessageSetting> {
    return this.#rest.request<MessageSetting>({
      method: 'GET',
      route: Routes.guildMessageSetting,
      params: { guild_id: requireId(guildId, 'guildId') },
      ...callControls(options),
    });
  }
}
