import type {
  CallOptions,
  MediaSource,
  UploadedMedia,
  UploadMediaOptions,
  C2cMessageCreate,
  InputNotifyResult,
  OpenMessageParams,
  OpenMessageResult,
  PendingAudit,
} from '@bot/http';
import { callSiteOf, requestsFrom } from '@bot/http';
import { C2CStreamSink } from './reply/C2CStreamSink.js';
import { replyPolicyOf, type ReplyOptions } from './reply/replyRules.js';
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

  /**
   * Shows the sender "typing…" for a few seconds while the bot prepares its reply (`msg_type` 6,
   * see `api.c2c.sendTyping`). It takes a `msg_seq` of this message from 101 up, apart from the
   * replies' numbers, so replies never repeat its number and any number of notices leaves the
   * replies' numbering as it was; it is not counted among the message's 5 replies here (whether
   * the platform counts it is not documented). Call it again to keep the indicator up for a long
   * answer.
   *
   * ```ts
   * await message.typing(10);
   * await message.reply(await slowAnswer());
   * ```
   *
   * A notice quotes this message as a reply does, so it keeps to the message's reply window: once
   * the window has expired (or the platform refused a reply as expired) a notice is refused before
   * any request, as `reply()` is, also after the platform closed the window as used up. A notice
   * the platform refuses with a code saying the window is closed (expired, `msg_id` invalid,
   * replies used up; docs/protocol.md §15.2) closes the window for the replies after it. Used-up
   * replies alone do not refuse a notice.
   *
   * @param seconds - how long the indicator shows, 1 to 60; 30 by default
   * @param options - signal, timeout and `retryOnTimeout`; `replyWindow: 'ignore'` sends even
   *   when the window looks closed (the client's `replyWindows` setting by default)
   * @returns the platform's answer
   * @throws `ReplyWindowClosedError` before any request when the reply window has expired
   *   (unless ignored)
   * @throws `ValidationError` before any request when `seconds` is out of range; `ApiError` when
   *   the platform refuses the notice
   */
  public typing(seconds?: number, options?: CallOptions & ReplyOptions): Promise<InputNotifyResult> {
    const { c2c } = this.binding.api;
    const { replyWindow: policy, ...call } = options ?? {};
    return requestsFrom(callSiteOf(C2CMessage.prototype.typing), async () => {
      const window = this.replyWindow;
      // Only an expired window: a notice is no reply, and one after the 5th reply is sent (whether
      // the platform counts notices is not documented). A window closed as used up still expires.
      window.checkExpired(replyPolicyOf({ replyWindow: policy }, this.binding.replyWindow));
      try {
        return await this.binding.replies.sendTyping(this.id, (msgSeq) =>
          c2c.sendTyping(
            this.author.userOpenid,
            { msgId: this.id, msgSeq, ...(seconds === undefined ? {} : { seconds }) },
            call,
          ),
        );
      } catch (error) {
        // Not a reply, so not counted; but the platform's word on the window holds for replies.
        window.noteRefusal(error);
        throw error;
      }
    });
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
