import type { RestClient } from '../rest/RestClient.js';
import {
  type Emoji,
  EmojiType,
  optionalId,
  optionalInteger,
  type ReactionUsers,
  type ReactionUsersQuery,
  requireId,
  requireObject,
  requireOneOf,
} from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

const EMOJI_TYPES = Object.values(EmojiType);

/** Emoji reactions on guild messages: `api.reactions`. */
export class ReactionsApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
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
    await this.#rest.request<unknown>({
      method: 'PUT',
      route: Routes.reaction,
      params: reactionParams(channelId, messageId, emoji),
      ...callControls(options),
    });
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
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.reaction,
      params: reactionParams(channelId, messageId, emoji),
      ...callControls(options),
    });
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
    const params = reactionParams(channelId, messageId, emoji);
    requireObject(query, 'query');
    const cookie = optionalId(query.cookie, 'query.cookie');
    const limit = optionalInteger(query.limit, 'query.limit', 1, 50);
    return this.#rest.request<ReactionUsers>({
      method: 'GET',
      route: Routes.reaction,
      params,
      query: { cookie, limit },
      ...callControls(options),
    });
  }
}

function reactionParams(channelId: string, messageId: string, emoji: Emoji): Record<string, string> {
  const channel = requireId(channelId, 'channelId');
  const message = requireId(messageId, 'messageId');
  requireObject(emoji, 'emoji');
  const type = requireOneOf(emoji.type, 'emoji.type', EMOJI_TYPES);
  return {
    channel_id: channel,
    message_id: message,
    type: String(type),
    id: requireId(emoji.id, 'emoji.id'),
  };
}
