import {
  type Announces,
  AnnouncesType,
  type CreateGuildAnnounceBody,
  optionalId,
  optionalOneOf,
  requireId,
  requireObject,
  requireText,
  ValidationError,
} from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

const ANNOUNCES_TYPES = Object.values(AnnouncesType);
/** The message id that deletes every announcement. */
const ALL = 'all';

/** Guild and channel announcements: `api.announces`. */
export class AnnouncesApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Creates a guild announcement (`POST /guilds/{guild_id}/announces`): a message (with its
   * channel) or up to three recommended channels. The two kinds replace each other.
   *
   * @param guildId - the guild
   * @param body - `message_id` with `channel_id`, or `recommend_channels`
   * @param options - signal and timeout
   */
  public async createForGuild(
    guildId: string,
    body: CreateGuildAnnounceBody,
    options?: CallOptions,
  ): Promise<Announces> {
    const guild = requireId(guildId, 'guildId');
    validateGuildAnnounce(body);
    return this.#rest.request<Announces>({
      method: 'POST',
      route: Routes.guildAnnounces,
      params: { guild_id: guild },
      body,
      ...callControls(options),
    });
  }

  /**
   * Deletes a guild announcement (`DELETE /guilds/{guild_id}/announces/{message_id}`).
   *
   * @param guildId - the guild
   * @param messageId - the announced message; `'all'` (the default) deletes every announcement
   * @param options - signal and timeout
   */
  public async deleteForGuild(
    guildId: string,
    messageId: string = ALL,
    options?: CallOptions,
  ): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.guildAnnounce,
      params: { guild_id: requireId(guildId, 'guildId'), message_id: requireId(messageId, 'messageId') },
      ...callControls(options),
    });
  }

  /**
   * Announces a message in its channel (`POST /channels/{channel_id}/announces`).
   *
   * @param channelId - the channel
   * @param messageId - the message to announce
   * @param options - signal and timeout
   */
  public async createForChannel(
    channelId: string,
    messageId: string,
    options?: CallOptions,
  ): Promise<Announces> {
    const channel = requireId(channelId, 'channelId');
    return this.#rest.request<Announces>({
      method: 'POST',
      route: Routes.channelAnnounces,
      params: { channel_id: channel },
      body: { message_id: requireId(messageId, 'messageId') },
      ...callControls(options),
    });
  }

  /**
   * Deletes a channel announcement (`DELETE /channels/{channel_id}/announces/{message_id}`).
   *
   * @param channelId - the channel
   * @param messageId - the announced message; `'all'` (the default) deletes every announcement
   * @param options - signal and timeout
   */
  public async deleteForChannel(
    channelId: string,
    messageId: string = ALL,
    options?: CallOptions,
  ): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.channelAnnounce,
      params: {
        channel_id: requireId(channelId, 'channelId'),
        message_id: requireId(messageId, 'messageId'),
      },
      ...callControls(options),
    });
  }
}

function validateGuildAnnounce(body: CreateGuildAnnounceBody): void {
  requireObject(body, 'body');
  optionalOneOf(body.announces_type, 'body.announces_type', ANNOUNCES_TYPES);
  if (optionalId(body.message_id, 'body.message_id') !== undefined) {
    requireId(body.channel_id, 'body.channel_id');
    return;
  }
  const channels: unknown = body.recommend_channels;
  if (!Array.isArray(channels) || channels.length === 0 || channels.length > 3) {
    throw new ValidationError('body', 'must set message_id (with channel_id) or 1 to 3 recommend_channels');
  }
  channels.forEach((channel: unknown, index) => {
    const field = `body.recommend_channels[${index}]`;
    const object = requireObject(channel, field);
    requireId(object['channel_id'], `${field}.channel_id`);
    requireText(object['introduce'], `${field}.introduce`);
  });
}
