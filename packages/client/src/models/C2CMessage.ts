import type {
  CallOptions,
  MediaSource,
  UploadedMedia,
  UploadMediaOptions,
  C2cMessageCreate,
  OpenMessageParams,
  OpenMessageResult,
  PendingAudit,
} from '@bot/http';
import { C2CStreamSink } from './reply/C2CStreamSink.js';
import type { ReplyStreamOptions } from './reply/replyStreamOptions.js';
import type { ReplyStreamSink } from './reply/ReplyStreamSink.js';
import type { ModelBinding } from './ModelBinding.js';
import { OpenChatMessage } from './OpenChatMessage.js';
import { wireId, wireObject } from './wireShape.js';

/** A one-to-one message from a user (`C2C_MESSAGE_CREATE`). */
export class C2CMessage extends OpenChatMessage {
  /** The sender. */
  public readonly author: { id: string | undefined; userOpenid: string; unionOpenid: string | undefined };
  /** The wire object. */
  public readonly raw: C2cMessageCreate;
  protected readonly replyScene = 'c2c' as const;

  /** Always `'c2c'`: narrows a `GroupMessage | C2CMessage` by its scene. */
  public override get scene(): 'c2c' {
    return this.replyScene;
  }

  /**
   * @param data - the wire payload
   * @param binding - API and reply numbering of the receiving client
   * @param eventId - id of the carrying event
   */
  public constructor(data: C2cMessageCreate, binding: ModelBinding, eventId?: string) {
    super(data, binding, eventId);
    this.raw = data;
    const author = data.author;
    wireObject(author, 'd.author', 'the message names no sender');
    this.author = {
      id: author.id,
      // Replies go to the sender's chat.
      userOpenid: wireId(author.user_openid, 'd.author.user_openid'),
      unionOpenid: author.union_openid,
    };
  }

  /** The fields this model surfaces, with the sender. */
  public override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), author: this.author };
  }

  /** C2C replies stream live through `stream_messages` (docs/protocol.md §15.1). */
  protected override streamSink(options: ReplyStreamOptions | undefined): ReplyStreamSink {
    const { c2c } = this.binding.api;
    return new C2CStreamSink(
      c2c,
      this.author.userOpenid,
      this.id,
      this.binding.replies,
      options?.contentType,
    );
  }

  protected uploadToChat(source: MediaSource, options: UploadMediaOptions): Promise<UploadedMedia> {
    return this.binding.api.c2c.uploadMedia(this.author.userOpenid, source, options);
  }

  protected sendToChat(
    params: OpenMessageParams,
    call?: CallOptions,
  ): Promise<OpenMessageResult | PendingAudit> {
    return this.binding.api.c2c.send(this.author.userOpenid, params, call);
  }

  protected forgetMedia(fileInfo: string): void {
    this.binding.api.c2c.forgetMedia(fileInfo);
  }
}
