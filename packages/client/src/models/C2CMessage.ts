import type { C2cMessageCreate, OpenMessageParams, OpenMessageResult, PendingAudit } from '@bot/http';
import type { ModelBinding } from './ModelBinding.js';
import { OpenChatMessage } from './OpenChatMessage.js';

/** A one-to-one message from a user (`C2C_MESSAGE_CREATE`). */
export class C2CMessage extends OpenChatMessage {
  /** The sender. */
  public readonly author: { id: string | undefined; userOpenid: string; unionOpenid: string | undefined };
  /** The wire object. */
  public readonly raw: C2cMessageCreate;

  /**
   * @param data - the wire payload
   * @param binding - API and reply numbering of the receiving client
   * @param eventId - id of the carrying event
   */
  public constructor(data: C2cMessageCreate, binding: ModelBinding, eventId?: string) {
    super(data, binding, eventId);
    this.raw = data;
    this.author = {
      id: data.author.id,
      userOpenid: data.author.user_openid,
      unionOpenid: data.author.union_openid,
    };
  }

  /** The fields this model surfaces, with the sender. */
  public override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), author: this.author };
  }

  protected sendToChat(params: OpenMessageParams): Promise<OpenMessageResult | PendingAudit> {
    return this.binding.api.c2c.send(this.author.userOpenid, params);
  }
}
