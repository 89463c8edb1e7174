import type { Announces, CreateGuildAnnounceBody } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { announceEndpoints } from './endpoints/announces.js';

/** The message id that deletes every announcement. */
const ALL = 'all';

/** Guild and channel announcements: `api.announces`. */
export class AnnouncesApi {
  readonly #endpoints: BoundEndpoints<typeof announceEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, announceEndpoints);
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
    return this.#endpoints.createForGuild({ guild_id: guildId }, body, options);
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
    await this.#endpoints.deleteForGuild({ guild_id: guildId, message_id: messageId }, options);
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
    return this.#endpoints.createForChannel({ channel_id: channelId }, messageId, options);
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
    await this.#endpoints.deleteForChannel({ channel_id: channelId, message_id: messageId }, options);
  }
}
