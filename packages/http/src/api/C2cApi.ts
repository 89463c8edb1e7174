import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import {
  streamMessageEndpoints,
  type StreamMessageBody,
  type StreamMessageResult,
} from './endpoints/streamMessages.js';
import { OpenChatApi } from './OpenChatApi.js';
import { Routes } from '../rest/routes.js';

/**
 * QQ one-to-one (C2C) messaging: `api.c2c`. Methods take the user's openid (`author.user_openid`
 * of `C2C_MESSAGE_CREATE`); send with {@link OpenChatApi.send}, upload media with
 * {@link OpenChatApi.upload}, recall with {@link OpenChatApi.recall}, stream a growing reply with
 * {@link C2cApi.streamFrame}.
 */
export class C2cApi extends OpenChatApi {
  readonly #streams: BoundEndpoints<typeof streamMessageEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    super(rest, {
      messages: Routes.userMessages,
      message: Routes.userMessage,
      files: Routes.userFiles,
      targetParam: 'openid',
      targetField: 'openid',
    });
    this.#streams = bindEndpoints(rest, streamMessageEndpoints);
  }

  /**
   * Sends one frame of a streamed reply (docs/protocol.md §15.1): the whole text so far, its
   * `index`, and from the second frame on the `stream_msg_id` the first answer returned. Most
   * bots use `message.replyStream()` of `@bot/client`, which numbers and paces frames itself.
   *
   * @param openid - the user's openid
   * @param frame - the frame, checked before it is sent
   * @param options - signal, timeout and `retryOnTimeout`
   * @returns the stream's id (`id`) and the frame's time
   */
  public async streamFrame(
    openid: string,
    frame: StreamMessageBody,
    options?: CallOptions,
  ): Promise<StreamMessageResult> {
    return this.#streams.send({ openid }, frame, options);
  }
}
