import type { Message, SettingGuideBody } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { settingGuideEndpoints } from './endpoints/settingGuides.js';

/** Messages that lead users to the bot's settings: `api.settingGuides`. */
export class SettingGuidesApi {
  readonly #endpoints: BoundEndpoints<typeof settingGuideEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, settingGuideEndpoints);
  }

  /**
   * Posts a setting guide in a channel (`POST /channels/{channel_id}/settingguide`).
   *
   * @param channelId - the channel
   * @param body - optional `content`, which may mention users (`<@user_id>`)
   * @param options - signal and timeout
   */
  public async sendToChannel(
    channelId: string,
    body: SettingGuideBody = {},
    options?: CallOptions,
  ): Promise<Message> {
    return this.#endpoints.sendToChannel({ channel_id: channelId }, body, options);
  }

  /**
   * Sends a setting guide in a DM (`POST /dms/{guild_id}/settingguide`).
   *
   * @param guildId - the DM session's `guild_id`
   * @param jumpGuildId - the guild whose settings the guide opens
   * @param options - signal and timeout
   */
  public async sendToDm(guildId: string, jumpGuildId: string, options?: CallOptions): Promise<Message> {
    return this.#endpoints.sendToDm({ guild_id: guildId }, jumpGuildId, options);
  }
}
