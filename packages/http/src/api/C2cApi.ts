import type { OpenMessageResult } from '@bot/core';
import type { OpenMessageInput } from '../messages/prepare.js';
import type { PendingAudit } from '../rest/PendingAudit.js';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import {
  streamMessageEndpoints,
  type StreamMessageBody,
  type StreamMessageResult,
} from './endpoints/streamMessages.js';
import { c2cSignalEndpoints, type C2cTyping, type InputNotifyResult } from './endpoints/c2cSignals.js';
import { OpenChatApi } from './OpenChatApi.js';
import { Routes } from '../rest/routes.js';

/**
 * QQ one-to-one (C2C) messaging: `api.c2c`. Methods take the user's openid (`author.user_openid`
 * of `C2C_MESSAGE_CREATE`); send with {@link OpenChatApi.send}, upload media with
 * {@link OpenChatApi.upload}, recall with {@link OpenChatApi.recall}, stream a growing reply with
 * {@link C2cApi.streamFrame}, show "typing…" with {@link C2cApi.sendTyping}, and nudge a user who went
 * quiet with {@link C2cApi.sendWakeup}.
 */
export class C2cApi extends OpenChatApi {
  readonly #streams: BoundEndpoints<typeof streamMessageEndpoints>;
  readonly #signals: BoundEndpoints<typeof c2cSignalEndpoints>;

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
    this.#signals = bindEndpoints(rest, c2cSignalEndpoints);
  }

  /**
   * Shows the user "typing…" for a few seconds while the bot prepares its answer: `msg_type` 6
   * with `input_notify: { input_type: 1, input_second }` (docs/protocol.md §8.4, from the official
   * SDK's `sendTyping`; send.md lists the field only in a commented-out row). C2C only. It takes a
   * `msg_seq` of the message answered, as the official SDK does: give one no reply uses, or a later
   * reply with the same number is refused as a duplicate. Whether the platform counts it among the
   * message's 5 replies is not documented; the emulator does not. `message.typing()` of
   * `@bot/client` numbers it itself.
   *
   * ```ts
   * await api.c2c.sendTyping(openid, { msgId: event.id, msgSeq: 1, seconds: 10 });
   * ```
   *
   * @param openid - the user's openid
   * @param typing - `msgId` answered, a free `msgSeq` of it, and `seconds` (1 to 60, 30 by default)
   * @param options - signal, timeout and `retryOnTimeout`
   * @returns the platform's answer (the official SDK reads `ext_info.ref_idx` from it)
   * @throws `ValidationError` before any request when a field is missing or out of range
   */
  public async sendTyping(
    openid: string,
    typing: C2cTyping,
    options?: CallOptions,
  ): Promise<InputNotifyResult> {
    return this.#signals.typing({ openid }, typing, options);
  }

  /**
   * Sends a wakeup message: an ordinary message with `is_wakeup: true` and no `msg_id`,
   * `event_id` or `msg_seq`, the one C2C send that needs no inbound message (docs/protocol.md
   * §8.4). The official SDK's `sendWakeup` documents it as C2C only, allowed within 30 days of the
   * user's last message, with frequency limits the platform enforces; no docs page describes it,
   * so these rules are unverified. The emulator applies the 30 days and no frequency limit.
   *
   * ```ts
   * await api.c2c.sendWakeup(openid, OpenMessageParams.text('Your report is ready.'));
   * ```
   *
   * @param openid - the user's openid
   * @param params - an `OpenMessageParams` or a plain body, without reply fields
   * @param options - signal, timeout and `retryOnTimeout`
   * @returns the message id and time, or a {@link PendingAudit} when the platform holds it for audit
   * @throws `ValidationError` before any request when the message is malformed or sets a reply field
   */
  public async sendWakeup(
    openid: string,
    params: OpenMessageInput,
    options?: CallOptions,
  ): Promise<OpenMessageResult | PendingAudit> {
    return this.#signals.wakeup({ openid }, params, options);
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
