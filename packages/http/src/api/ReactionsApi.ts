import type { Emoji, ReactionUsers, ReactionUsersQuery } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { reactionEndpoints, reactionParams } from './endpoints/reactions.js';

/** Emoji reactions on guild messages: `api.reactions`. */
export class ReactionsApi {
  readonly #endpoints: BoundEndpoints<typeof reactionEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, reactionEndpoints);
  }

  /**
   * Reacts to a message (`PUT /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`).
   *
   * @param channelId - the channel
   * @param messageId - the message
   * @param emoji - `type` (1 system, 2 Unicode) and `id`
   * @param options - signal and timeout
   */
  public async add(channelId: string, messageId: string, emoji: Emoji, options?: CallOptions): Promise<void> {
    await this.#endpoints.add(reactionParams(channelId, messageId, emoji), options);
  }

  /**
   * Removes the bot's reaction (`DELETE /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`).
   *
   * @param channelId - the channel
   * @param messageId - the message
   * @param emoji - `type` (1 system, 2 Unicode) and `id`
   * @param options - signal and timeout
   */
  public async remove(
    channelId: string,
    messageId: string,
    emoji: Emoji,
    options?: CallOptions,
  ): Promise<void> {
    await this.#endpoints.remove(reactionParams(channelId, messageId, emoji), options);
  }

  /**
   * Lists who reacted with an emoji, one page at a time
   * (`GET /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`).
   *
   * @param channelId - the channel
   * @param messageId - the message
   * @param emoji - `type` (1 system, 2 Unicode) and `id`
   * @param query - `cookie` of the previous page, `limit` (1–50, first page only)
   * @param options - signal and timeout
   */
  public async listUsers(
    channelId: string,
    messageId: string,
    emoji: Emoji,
    query: ReactionUsersQuery = {},
    options?: CallOptions,
  ): Promise<ReactionUsers> {
    return this.#endpoints.listUsers(reactionParams(channelId, messageId, emoji), query, options);
  }
}
