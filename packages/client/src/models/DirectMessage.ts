import {
  callSiteOf,
  requestsFrom,
  type CallOptions,
  type Message as WireMessage,
  type MessageParams,
  type PendingAudit,
} from '@bot/http';
import { Message, type GuildReplyInput } from './Message.js';
import type { ModelBinding } from './ModelBinding.js';
import type { ReplyOptions } from './reply/replyRules.js';

/** A guild direct message (`DIRECT_MESSAGE_CREATE`): a message in a DM session of a guild. */
export class DirectMessage extends Message {
  /** Guild the DM session started from. */
  public readonly sourceGuildId: string | undefined;
  protected override readonly replyScene = 'dm' as const;

  /**
   * @param data - the wire message (`direct_message: true`)
   * @param binding - the API and reply numbering of the client that received it
   * @param eventId - id of the carrying event
   */
  public constructor(data: WireMessage, binding: ModelBinding, eventId?: string) {
    super(data, binding, eventId);
    this.sourceGuildId = data.src_guild_id;
  }

  /** The fields this model surfaces, with the guild the DM session started from. */
  public override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), sourceGuildId: this.sourceGuildId };
  }

  /**
   * Replies in the same DM session.
   *
   * @param input - text, a {@link MessageParams} builder, or a wire body
   * @param options - `{ replyWindow: 'ignore' }` sends even after the reply window
   * @throws `ValidationError` when the input sets a `msg_id` other than this message's, or an
   *   `event_id`, before any request
   */
  public override reply(input: GuildReplyInput, options?: ReplyOptions): Promise<WireMessage | PendingAudit> {
    return requestsFrom(callSiteOf(DirectMessage.prototype.reply), () =>
      this.replyWithin(options, () => this.sendToChannel(this.asReply(input))),
    );
  }

  /** DM replies go to the DM session, named by its guild. */
  protected override sendToChannel(
    params: MessageParams,
    call?: CallOptions,
  ): Promise<WireMessage | PendingAudit> {
    return this.binding.api.dms.send(this.guildId, params, call);
  }
}
