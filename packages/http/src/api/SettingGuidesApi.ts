import type { RestClient } from '../rest/RestClient.js';
import { type Message, requireId, requireObject, type SettingGuideBody } from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** Messages that lead users to the bot's settings: `api.settingGuides`. */
export class SettingGuidesApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
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
    const channel = requireId(channelId, 'channelId');
    requireObject(body, 'body');
    return this.#rest.request<Message>({
      method: 'POST',
      route: Routes.channelSettingGuide,
      params: { channel_id: channel },
      body,
      ...callControls(options),
    });
  }

  /**
   * Sends a setting guide in a DM (`POST /dms/{guild_id}/settingguide`).
   *
   * @param guildId - the DM session's `guild_id`
   * @param jumpGuildId - the guild whose settings the guide opens
   * @param options - signal and timeout
   */
  public async sendToDm(guildId: string, jumpGuildId: string, options?: CallOptions): Promise<Message> {
    const guild = requireId(guildId, 'guildId');
    const body: SettingGuideBody = { setting_guide: { guild_id: requireId(jumpGuildId, 'jumpGuildId') } };
    return this.#rest.request<Message>({
      method: 'POST',
      route: Routes.dmSettingGuide,
      params: { guild_id: guild },
      body,
      ...callControls(options),
    });
  }
}
