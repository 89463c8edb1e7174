import type { PinsMessage } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { callEndpoint } from './endpoint.js';
import { pinEndpoints } from './endpoints/pins.js';

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
    return callEndpoint(this.#rest, pinEndpoints.list, { channel_id: channelId }, undefined, options);
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
    return callEndpoint(
      this.#rest,
      pinEndpoints.pin,
      { channel_id: channelId, message_id: messageId },
      undefined,
      options,
    );
  }

  /**
   * Unpins a message (`DELETE /channels/{channel_id}/pins/{message_id}`).
   *
   * @param channelId - the channel
   * @param messageId - the message; `'all'` unpins every message
   * @param options - signal and timeout
   */
  public async unpin(channelId: string, messageId: string, options?: CallOptions): Promise<void> {
    await callEndpoint(
      this.#rest,
      pinEndpoints.unpin,
      { channel_id: channelId, message_id: messageId },
      undefined,
      options,
    );
  }
}
