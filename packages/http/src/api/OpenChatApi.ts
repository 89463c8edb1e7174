import {
  type MediaUploadBody,
  type MediaUploadResult,
  type OpenMessageBody,
  type OpenMessageResult,
  OpenMessageType,
  requireId,
  ValidationError,
} from '@bot/core';
import { GroupMediaRoutes } from './endpoints/mediaUpload.js';
import { MediaUploader } from '../media/MediaUploader.js';
import type { MediaSource, UploadedMedia, UploadMediaOptions } from '../media/UploadMediaOptions.js';
import type { OpenMessageInput } from '../messages/prepare.js';
import { validateOpenReplyFields } from '../messages/validateMessage.js';
import { callSiteOf, requestsFrom } from '../rest/callSite.js';
import type { PendingAudit } from '../rest/PendingAudit.js';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { openChatEndpoints, validateUpload } from './endpoints/openChat.js';

/** Reply fields of {@link OpenChatApi.sendMedia}: everything but the message kind and its media. */
export type MediaReplyParams = Omit<OpenMessageBody, 'msg_type' | 'media' | 'markdown' | 'ark' | 'embed'>;

/** Where one kind of open chat (groups or C2C users) lives on the wire. */
export interface OpenChatRoutes {
  /** `POST` sends here. */
  messages: string;
  /** `DELETE` recalls here. */
  message: string;
  /** `POST` uploads here. */
  files: string;
  /** Placeholder naming the chat in the templates (`group_openid`, `openid`). */
  targetParam: string;
  /** The caller's name for the chat id, used in errors (`groupOpenid`, `openid`). */
  targetField: string;
}

/**
 * Messaging in QQ groups and C2C chats. Both use the same bodies on parallel routes, so one
 * implementation serves `api.groups` and `api.c2c`.
 */
export abstract class OpenChatApi {
  readonly #routes: OpenChatRoutes;
  readonly #endpoints: BoundEndpoints<ReturnType<typeof openChatEndpoints>>;
  readonly #media: MediaUploader;

  /**
   * @param rest - the transport requests go through
   * @param routes - the chat kind's route templates and names
   */
  protected constructor(rest: RestClient, routes: OpenChatRoutes) {
    this.#routes = routes;
    this.#endpoints = bindEndpoints(rest, openChatEndpoints(routes));
    this.#media = new MediaUploader(rest);
  }

  /**
   * Sends a message. Only replies are allowed: set `msg_id` (or `event_id`), and number
   * successive replies to one message with `msg_seq`.
   *
   * @param targetId - the group openid or user openid
   * @param params - an {@link OpenMessageParams} or a plain body
   * @param options - signal, timeout and `retryOnTimeout`
   * @returns the message id and time, or a {@link PendingAudit} when the platform holds it for audit
   */
  public async send(
    targetId: string,
    params: OpenMessageInput,
    options?: CallOptions,
  ): Promise<OpenMessageResult | PendingAudit> {
    return this.#endpoints.send(this.#target(targetId), params, options);
  }

  /**
   * Uploads an image, video, voice clip or file; send the returned `file_info` in a media
   * message (`OpenMessageParams.media(result)`). A `file_info` works for any chat of this kind
   * until its `ttl` runs out.
   *
   * @param targetId - the group openid or user openid
   * @param body - `file_type`, and exactly one of `url` and `file_data`
   * @param options - signal, timeout and `retryOnTimeout`
   */
  public async upload(
    targetId: string,
    body: MediaUploadBody,
    options?: CallOptions,
  ): Promise<MediaUploadResult> {
    return this.#endpoints.upload(this.#target(targetId), body, options);
  }

  /**
   * Uploads a file, bytes or a stream of any size up to its type's cap: one `files` call below
   * 5 MiB, the chunked flow (presigned part URLs) above, with progress, per-part retries, abort
   * and reuse of an earlier `file_info` of the same bytes until a minute before its `ttl` runs out
   * (see {@link MediaUploader}).
   *
   * ```ts
   * const media = await api.groups.uploadMedia(groupOpenid, './clip.mp4', {
   *   fileType: MediaFileType.Video,
   *   onProgress: ({ bytesDone, bytesTotal }) => bar.update(bytesDone / bytesTotal),
   * });
   * await api.groups.send(groupOpenid, OpenMessageParams.media(media).withReply(msgId));
   * ```
   *
   * @param targetId - the group openid or user openid
   * @param source - a file path, a Buffer, a Readable stream, or a `URL` the platform fetches
   * @param options - `fileType`, `onProgress`, `signal`, retry and size settings
   * @throws `MediaTooLargeError` before any request when the file is over its type's cap;
   *   `MediaUploadError` when the upload fails; the signal's reason when aborted
   */
  public async uploadMedia(
    targetId: string,
    source: MediaSource,
    options: UploadMediaOptions,
  ): Promise<UploadedMedia> {
    requireId(targetId, this.#routes.targetField);
    const scene = this.#routes.targetParam === GroupMediaRoutes.targetParam ? 'group' : 'c2c';
    // The uploader's frames are the framework's: its requests and failure show this method's caller.
    const site = callSiteOf(OpenChatApi.prototype.uploadMedia);
    return requestsFrom(site, () => this.#media.upload({ scene, id: targetId }, source, options));
  }

  /**
   * Forgets a `file_info` kept for reuse by {@link OpenChatApi.uploadMedia}: call it when the
   * platform refuses a message carrying one, so the next upload of the same bytes asks for a
   * fresh `file_info` instead of reusing the refused one until its `ttl`.
   *
   * @param fileInfo - the refused `file_info`
   * @returns whether it was kept
   */
  public forgetMedia(fileInfo: string): boolean {
    return this.#media.cache?.forget(fileInfo) ?? false;
  }

  /**
   * Uploads media, then sends it as a reply: {@link OpenChatApi.upload} followed by
   * {@link OpenChatApi.send} with `msg_type: 7`.
   *
   * @param targetId - the group openid or user openid
   * @param upload - what to upload; `srv_send_msg` must not be `true` (this method sends)
   * @param params - reply fields: `msg_id` or `event_id`, `msg_seq`, `content`, `keyboard`
   * @param options - signal and timeout, for both requests
   */
  public async sendMedia(
    targetId: string,
    upload: MediaUploadBody,
    params: MediaReplyParams = {},
    options?: CallOptions,
  ): Promise<OpenMessageResult | PendingAudit> {
    // Both requests fail with the frames of this method's caller, not of this method.
    const site = callSiteOf(OpenChatApi.prototype.sendMedia);
    requireId(targetId, this.#routes.targetField);
    validateUpload(upload, 'upload');
    if (upload.srv_send_msg === true) {
      throw new ValidationError(
        'upload.srv_send_msg',
        'must not be true: sendMedia sends the message itself',
      );
    }
    validateOpenReplyFields(params, 'params');
    const uploaded = await requestsFrom(site, () =>
      this.upload(targetId, { ...upload, srv_send_msg: false }, options),
    );
    const message: OpenMessageBody = {
      ...params,
      msg_type: OpenMessageType.Media,
      media: { file_info: uploaded.file_info },
    };
    return requestsFrom(site, () => this.send(targetId, message, options));
  }

  /**
   * Recalls a message the bot sent (within two minutes).
   *
   * @param targetId - the group openid or user openid
   * @param messageId - the message
   * @param options - signal and timeout
   */
  public async recall(targetId: string, messageId: string, options?: CallOptions): Promise<void> {
    const params = { ...this.#target(targetId), message_id: messageId };
    await this.#endpoints.recall(params, options);
  }

  /** The path value naming the chat: `{ group_openid }` or `{ openid }`. */
  #target(targetId: string): Record<string, string> {
    return { [this.#routes.targetParam]: targetId };
  }
}
