import type { Guild, MessageSetting } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { callEndpoint } from './endpoint.js';
import { guildEndpoints } from './endpoints/guilds.js';

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
    return callEndpoint(this.#rest, guildEndpoints.get, { guild_id: guildId }, undefined, options);
  }

  /**
   * Fetches the bot's message frequency settings in a guild (`GET /guilds/{guild_id}/message/setting`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async getMessageSetting(guildId: string, options?: CallOptions): Promise<MessageSetting> {
    return callEndpoint(
      this.#rest,
      guildEndpoints.getMessageSetting,
      { guild_id: guildId },
      undefined,
      options,
    );
  }
}
