import {
  type MediaUploadResult,
  type MessageArk,
  type MessageEmbed,
  type MessageKeyboard,
  type MessageMarkdown,
  type OpenMessageBody,
  OpenMessageType,
} from '@bot/core';
import { markBuilderClass, requireMessageBody } from './messageInput.js';
import { messageReference } from './messageReference.js';

/**
 * The platform rejects a media message with empty content (a documented defect), and a single
 * space is what it accepts.
 */
export const MEDIA_PLACEHOLDER_CONTENT = ' ';

/**
 * An immutable group or C2C message. The factory picks `msg_type`; `with…()` methods refine the
 * message and each returns a new instance. Pass it to `api.groups.send` or `api.c2c.send`.
 *
 * ```ts
 * await api.groups.send(groupOpenid, OpenMessageParams.text('Pong!').withReply(event.id).withMsgSeq(1));
 * const upload = await api.groups.upload(groupOpenid, { file_type: MediaFileType.Image, url });
 * await api.groups.send(groupOpenid, OpenMessageParams.media(upload).withReply(event.id));
 * ```
 */
export class OpenMessageParams {
  static {
    // Refused by either builder's `from`, not spread into an empty body.
    markBuilderClass(this);
  }

  readonly #body: Readonly<OpenMessageBody>;

  private constructor(body: Readonly<OpenMessageBody>) {
    this.#body = body;
  }

  /**
   * A text message (`msg_type` 0).
   *
   * @param content - the text
   */
  public static text(content: string): OpenMessageParams {
    return new OpenMessageParams({ msg_type: OpenMessageType.Text, content });
  }

  /**
   * A markdown message (`msg_type` 2).
   *
   * @param markdown - raw markdown text, or a template with parameters
   */
  public static markdown(markdown: string | MessageMarkdown): OpenMessageParams {
    return new OpenMessageParams({
      msg_type: OpenMessageType.Markdown,
      markdown: typeof markdown === 'string' ? { content: markdown } : markdown,
    });
  }

  /**
   * An ark template message (`msg_type` 3).
   *
   * @param ark - template id and values
   */
  public static ark(ark: MessageArk): OpenMessageParams {
    return new OpenMessageParams({ msg_type: OpenMessageType.Ark, ark });
  }

  /**
   * An embed message (`msg_type` 4).
   *
   * @param embed - the card
   */
  public static embed(embed: MessageEmbed): OpenMessageParams {
    return new OpenMessageParams({ msg_type: OpenMessageType.Embed, embed });
  }

  /**
   * A rich media message (`msg_type` 7) carrying an uploaded file.
   *
   * @param media - the upload result, or its `file_info`
   * @param content - accompanying text; a single space (which the platform requires) by default
   */
  public static media(
    media: MediaUploadResult | string,
    content: string = MEDIA_PLACEHOLDER_CONTENT,
  ): OpenMessageParams {
    const fileInfo = typeof media === 'string' ? media : media.file_info;
    return new OpenMessageParams({
      msg_type: OpenMessageType.Media,
      content: content === '' ? MEDIA_PLACEHOLDER_CONTENT : content,
      media: { file_info: fileInfo },
    });
  }

  /**
   * Wraps a wire body, to refine it with `with…()`.
   *
   * @param body - fields as the platform names them
   * @throws {@link ValidationError} (`input`) when `body` is no object of fields (a number, `null`, an
   *   array, a string, a builder, a built-in such as a Map or a Date); an instance of the caller's
   *   own class is a body
   */
  public static from(body: OpenMessageBody): OpenMessageParams {
    requireMessageBody(body, 'OpenMessageParams');
    return new OpenMessageParams({ ...body });
  }

  /** The message kind the factory chose. */
  public get type(): OpenMessageType {
    return this.#body.msg_type;
  }

  /**
   * Sets the text (for media messages, an empty text becomes the required single space).
   *
   * @param content - the text
   */
  public withContent(content: string): OpenMessageParams {
    return this.#with({ content });
  }

  /**
   * Attaches buttons (markdown messages only, `msg_type` 2).
   *
   * @param keyboard - a template id or an inline keyboard (`KeyboardBuilder` writes and checks one)
   */
  public withKeyboard(keyboard: MessageKeyboard): OpenMessageParams {
    return this.#with({ keyboard });
  }

  /**
   * Quotes a message (the platform documents this as not yet supported for groups and C2C).
   *
   * @param messageId - the message to quote
   * @param ignoreGetMessageError - send even when the quoted message cannot be fetched
   */
  public withReference(messageId: string, ignoreGetMessageError?: boolean): OpenMessageParams {
    return this.#with({ message_reference: messageReference(messageId, ignoreGetMessageError) });
  }

  /**
   * Makes the message a reply to an inbound message. Proactive group and C2C messages are no
   * longer allowed, so every send needs this or {@link OpenMessageParams.withEventId}.
   *
   * @param msgId - id of the message replied to
   */
  public withReply(msgId: string): OpenMessageParams {
    return this.#with({ msg_id: msgId });
  }

  /**
   * Makes the message a reply to a non-message event (`INTERACTION_CREATE`, `GROUP_ADD_ROBOT`,
   * `FRIEND_ADD`, …).
   *
   * @param eventId - id of the event replied to
   */
  public withEventId(eventId: string): OpenMessageParams {
    return this.#with({ event_id: eventId });
  }

  /**
   * Numbers this reply among the replies to one `msg_id` (or `event_id`). Use 1, 2, 3, … for
   * successive replies: repeating a pair fails with code `40054005`.
   *
   * @param msgSeq - a positive integer
   */
  public withMsgSeq(msgSeq: number): OpenMessageParams {
    return this.#with({ msg_seq: msgSeq });
  }

  /** The JSON body. */
  public toBody(): OpenMessageBody {
    return withMediaContent({ ...this.#body });
  }

  #with(patch: Partial<OpenMessageBody>): OpenMessageParams {
    return new OpenMessageParams({ ...this.#body, ...patch });
  }
}

/**
 * Gives a media message the single-space content the platform requires when it has none.
 *
 * @param body - a group or C2C message body
 * @returns the same body, or a copy with `content: ' '`
 */
export function withMediaContent(body: OpenMessageBody): OpenMessageBody {
  if (body.msg_type === OpenMessageType.Media && (body.content === undefined || body.content === '')) {
    return { ...body, content: MEDIA_PLACEHOLDER_CONTENT };
  }
  return body;
}
