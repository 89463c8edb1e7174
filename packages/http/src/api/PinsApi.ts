import type { RestClient } from '../rest/RestClient.js';
import { type PinsMessage, requireId } from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** Pinned (精华) messages of channels: `api.pins`. */
export class PinsApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Lists a channel's pinned messages (`GET /channels/{channel_id}/pins`).
   *
   * @param channelId - the channel
   * @param options - signal and timeout
   */
  public async list(channelId: string, options?: CallOptions): Promise<PinsMessage> {
    return this.#rest.request<PinsMessage>({
      method: 'GET',
      route: Routes.pins,
      params: { channel_id: requireId(channelId, 'channelId') },
      ...callControls(options),
    });
  }

  /**
   * Pins a message (`PUT /channels/{channel_id}/pins/{message_id}`; at most 20 per channel).
   *
   * @param channelId - the channel
   * @param messageId - the message
   * @param options - signal and timeout
   * @returns every pinned message of the channel afterwards
   */
  public async pin(channelId: string, messageId: string, options?: CallOptions): Promise<PinsMessage> {
    return this.#rest.request<PinsMessage>({
      method: 'PUT',
      route: Routes.pin,
      params: {
        channel_id: requireId(channelId, 'channelId'),
        message_id: requireId(messageId, 'messageId'),
      },
      ...callControls(options),
    });
  }

  /**
   * Unpins a message (`DELETE /channels/{channel_id}/pins/{message_id}`).
   *
   * @param channelId - the channel
   * @param messageId - the message; `'all'` unpins every message
   * @param options - signal and timeout
   */
  public async unpin(channelId: string, messageId: string, options?: CallOptions): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.pin,
      params: {
        channel_id: requireId(channelId, 'channelId'),
        message_id: requireId(messageId, 'messageId'),
      },
      ...callControls(options),
    });
  }
}
