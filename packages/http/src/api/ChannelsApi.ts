import type { Channel, ChannelOnlineCount, CreateChannelBody, UpdateChannelBody } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { channelEndpoints } from './endpoints/channels.js';

/** Channels of a guild: `api.channels`. */
export class ChannelsApi {
  readonly #endpoints: BoundEndpoints<typeof channelEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, channelEndpoints);
  }

  /**
   * Lists a guild's channels (`GET /guilds/{guild_id}/channels`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async list(guildId: string, options?: CallOptions): Promise<Channel[]> {
    return this.#endpoints.list({ guild_id: guildId }, options);
  }

  /**
   * Fetches a channel (`GET /channels/{channel_id}`).
   *
   * @param channelId - the channel
   * @param options - signal and timeout
   */
  public async get(channelId: string, options?: CallOptions): Promise<Channel> {
    return this.#endpoints.get({ channel_id: channelId }, options);
  }

  /**
   * Creates a channel (`POST /guilds/{guild_id}/channels`; private-domain bots;
   * docs/protocol.md §8.12).
   *
   * @param guildId - the guild
   * @param body - name, type, position (2 or more for a category) and the optional settings
   * @param options - signal and timeout
   * @throws {@link ValidationError} when a field cannot be sent as is, such as a category below
   *   position 2 or an empty id in `private_user_ids`
   */
  public async create(guildId: string, body: CreateChannelBody, options?: CallOptions): Promise<Channel> {
    return this.#endpoints.create({ guild_id: guildId }, body, options);
  }

  /**
   * Changes a channel (`PATCH /channels/{channel_id}`); only the fields given change.
   *
   * @param channelId - the channel
   * @param body - the fields to change
   * @param options - signal and timeout
   */
  public async update(channelId: string, body: UpdateChannelBody, options?: CallOptions): Promise<Channel> {
    return this.#endpoints.update({ channel_id: channelId }, body, options);
  }

  /**
   * Deletes a channel (`DELETE /channels/{channel_id}`); this cannot be undone.
   *
   * @param channelId - the channel
   * @param options - signal and timeout
   */
  public async delete(channelId: string, options?: CallOptions): Promise<void> {
    await this.#endpoints.delete({ channel_id: channelId }, options);
  }

  /**
   * Counts the members in a voice or live channel (`GET /channels/{channel_id}/online_nums`).
   *
   * @param channelId - the channel
   * @param options - signal and timeout
   */
  public async getOnlineCount(channelId: string, options?: CallOptions): Promise<ChannelOnlineCount> {
    return this.#endpoints.getOnlineCount({ channel_id: channelId }, options);
  }
}
