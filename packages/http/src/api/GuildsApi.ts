import type { Guild, MessageSetting } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { guildEndpoints } from './endpoints/guilds.js';

/** Guilds: `api.guilds`. */
export class GuildsApi {
  readonly #endpoints: BoundEndpoints<typeof guildEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, guildEndpoints);
  }

  /**
   * Fetches a guild (`GET /guilds/{guild_id}`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async get(guildId: string, options?: CallOptions): Promise<Guild> {
    return this.#endpoints.get({ guild_id: guildId }, options);
  }

  /**
   * Fetches the bot's message frequency settings in a guild (`GET /guilds/{guild_id}/message/setting`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async getMessageSetting(guildId: string, options?: CallOptions): Promise<MessageSetting> {
    return this.#endpoints.getMessageSetting({ guild_id: guildId }, options);
  }
}
