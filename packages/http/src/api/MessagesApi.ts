import type { Message, RecallQuery } from '@bot/core';
import type { GuildMessageInput } from '../messages/prepare.js';
import type { PendingAudit } from '../rest/PendingAudit.js';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { type ChannelMessageListQuery, messageEndpoints } from './endpoints/messages.js';

/** Messages in guild channels: `api.messages`. */
export class MessagesApi {
  readonly #endpoints: BoundEndpoints<typeof messageEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, messageEndpoints);
  }

  /**
   * Reads a page of a channel's history (`GET /channels/{channel_id}/messages`; docs/protocol.md
   * §8.11), newest first in the platform's example. Only an older page of the platform's docs
   * lists this endpoint: a bot it is not open to gets the platform's refusal as an `ApiError`.
   *
   * @param channelId - the channel
   * @param query - at most one of `around`, `before` and `after` a message id, and `limit`
   *   (1–20); with none of the three, the latest messages
   * @param options - signal and timeout
   * @throws {@link ValidationError} when two anchors are set, an id is empty, or `limit` is out of range
   */
  public async list(
    channelId: string,
    query: ChannelMessageListQuery = {},
    options?: CallOptions,
  ): Promise<Message[]> {
    return this.#endpoints.list({ channel_id: channelId }, query, options);
  }

  /**
   * Fetches a message (`GET /channels/{channel_id}/messages/{message_id}`).
   *
   * @param channelId - the channel
   * @param messageId - the message
   * @param options - signal and timeout
   */
  public async get(channelId: string, messageId: string, options?: CallOptions): Promise<Message> {
    const params = { channel_id: channelId, message_id: messageId };
    const response = await this.#endpoints.get(params, options);
    // The platform wraps this one answer in `{ message }`; unwrap it so callers get a Message.
    return isWrapped(response) ? response.message : response;
  }

  /**
   * Sends a message to a channel (`POST /channels/{channel_id}/messages`). A local image goes
   * as a multipart body. A reply needs `msg_id` (or `event_id`): proactive messages are limited.
   *
   * @param channelId - the channel
   * @param params - a {@link MessageParams} or a plain body
   * @param options - signal, timeout, and `retryOnTimeout` (re-send after a 504 without `msg_id`/`event_id`)
   * @returns the sent message, or a {@link PendingAudit} when the platform holds it for audit
   */
  public async send(
    channelId: string,
    params: GuildMessageInput,
    options?: CallOptions,
  ): Promise<Message | PendingAudit> {
    return this.#endpoints.send({ channel_id: channelId }, params, options);
  }

  /**
   * Edits a message the bot sent, such as a markdown message with buttons
   * (`PATCH /channels/{channel_id}/messages/{message_id}`).
   *
   * @param channelId - the channel
   * @param messageId - the message
   * @param params - the new message
   * @param options - signal and timeout
   */
  public async edit(
    channelId: string,
    messageId: string,
    params: GuildMessageInput,
    options?: CallOptions,
  ): Promise<Message> {
    return this.#endpoints.edit({ channel_id: channelId, message_id: messageId }, params, options);
  }

  /**
   * Recalls a message (`DELETE /channels/{channel_id}/messages/{message_id}`). Admins may recall
   * members' messages; the bot's own messages can be recalled for a limited time.
   *
   * @param channelId - the channel
   * @param messageId - the message
   * @param query - `hidetip` hides the "message recalled" notice
   * @param options - signal and timeout
   */
  public async recall(
    channelId: string,
    messageId: string,
    query?: RecallQuery,
    options?: CallOptions,
  ): Promise<void> {
    await this.#endpoints.recall({ channel_id: channelId, message_id: messageId }, query, options);
  }
}

function isWrapped(response: Message | { message: Message }): response is { message: Message } {
  return (
    typeof response === 'object' &&
    response !== null &&
    !('id' in response) &&
    'message' in response &&
    typeof response.message === 'object'
  );
}
