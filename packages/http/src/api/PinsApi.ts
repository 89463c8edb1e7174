import type { PinsMessage } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { pinEndpoints } from './endpoints/pins.js';

/** Pinned (精华) messages of channels: `api.pins`. */
export class PinsApi {
  readonly #endpoints: BoundEndpoints<typeof pinEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, pinEndpoints);
  }

  /**
   * Lists a channel's pinned messages (`GET /channels/{channel_id}/pins`).
   *
   * @param channelId - the channel
   * @param options - signal and timeout
   */
  public async list(channelId: string, options?: CallOptions): Promise<PinsMessage> {
    return this.#endpoints.list({ channel_id: channelId }, options);
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
    return this.#endpoints.pin({ channel_id: channelId, message_id: messageId }, options);
  }

  /**
   * Unpins a message (`DELETE /channels/{channel_id}/pins/{message_id}`).
   *
   * @param channelId - the channel
   * @param messageId - the message; `'all'` unpins every message
   * @param options - signal and timeout
   */
  public async unpin(channelId: string, messageId: string, options?: CallOptions): Promise<void> {
    await this.#endpoints.unpin({ channel_id: channelId, message_id: messageId }, options);
  }
}
