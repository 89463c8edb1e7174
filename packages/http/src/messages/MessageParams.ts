import type { FileAttachment } from '../rest/RequestOptions.js';
import type { GuildMessageBody, MessageArk, MessageEmbed, MessageKeyboard, MessageMarkdown } from '@bot/core';
import { markBuilderClass, requireMessageBody } from './messageInput.js';
import { messageReference } from './messageReference.js';

/**
 * An immutable guild channel or DM message: start from a factory, refine with `with…()` (each
 * returns a new instance), and pass it to `api.messages.send` or `api.dms.send`.
 *
 * ```ts
 * await api.messages.send(channelId, MessageParams.text('Pong!').withReply(message.id));
 * await api.messages.send(channelId, MessageParams.fileImage({ name: 'chart.png', data: png }));
 * ```
 */
export class MessageParams {
  static {
    // Refused by either builder's `from`, not spread into an empty body.
    markBuilderClass(this);
  }

  readonly #body: Readonly<GuildMessageBody>;
  readonly #fileImage: FileAttachment | undefined;

  private constructor(body: Readonly<GuildMessageBody>, fileImage: FileAttachment | undefined) {
    this.#body = body;
    this.#fileImage = fileImage;
  }

  /**
   * A text message.
   *
   * @param content - the text; embedded formats such as `<@user_id>` work
   */
  public static text(content: string): MessageParams {
    return new MessageParams({ content }, undefined);
  }

  /**
   * A markdown message.
   *
   * @param markdown - raw markdown text, or a template with parameters
   */
  public static markdown(markdown: string | MessageMarkdown): MessageParams {
    return new MessageParams(
      { markdown: typeof markdown === 'string' ? { content: markdown } : markdown },
      undefined,
    );
  }

  /**
   * An embed card.
   *
   * @param embed - title, prompt, thumbnail and fields
   */
  public static embed(embed: MessageEmbed): MessageParams {
    return new MessageParams({ embed }, undefined);
  }

  /**
   * An ark template message.
   *
   * @param ark - template id and values
   */
  public static ark(ark: MessageArk): MessageParams {
    return new MessageParams({ ark }, undefined);
  }

  /**
   * An image the platform downloads from a URL.
   *
   * @param url - public image URL
   */
  public static image(url: string): MessageParams {
    return new MessageParams({ image: url }, undefined);
  }

  /**
   * A local image, uploaded in a multipart body as `file_image`.
   *
   * @param file - `{ name, data, contentType? }`: the file name, its bytes (a `Uint8Array`, such as
   *   a `Buffer`, or a `Blob`) and optionally its MIME type; the bytes alone are refused when sent
   */
  public static fileImage(file: FileAttachment): MessageParams {
    return new MessageParams({}, file);
  }

  /**
   * Wraps a wire body, to refine it with `with…()`.
   *
   * @param body - fields as the platform names them
   * @throws {@link ValidationError} (`input`) when `body` is no object of fields (a number, `null`, an
   *   array, a string, a builder, a built-in such as a Map or a Date); an instance of the caller's
   *   own class is a body
   */
  public static from(body: GuildMessageBody): MessageParams {
    requireMessageBody(body, 'MessageParams');
    return new MessageParams({ ...body }, undefined);
  }

  /** The local image to upload, if any. */
  public get fileImage(): FileAttachment | undefined {
    return this.#fileImage;
  }

  /**
   * Sets the text.
   *
   * @param content - the text
   */
  public withContent(content: string): MessageParams {
    return this.#with({ content });
  }

  /**
   * Sets the markdown.
   *
   * @param markdown - raw markdown text, or a template with parameters
   */
  public withMarkdown(markdown: string | MessageMarkdown): MessageParams {
    return this.#with({ markdown: typeof markdown === 'string' ? { content: markdown } : markdown });
  }

  /**
   * Sets the embed.
   *
   * @param embed - the card
   */
  public withEmbed(embed: MessageEmbed): MessageParams {
    return this.#with({ embed });
  }

  /**
   * Sets the ark.
   *
   * @param ark - template id and values
   */
  public withArk(ark: MessageArk): MessageParams {
    return this.#with({ ark });
  }

  /**
   * Attaches buttons (the platform renders them under markdown messages).
   *
   * @param keyboard - a template id or an inline keyboard (`KeyboardBuilder` writes and checks one)
   */
  public withKeyboard(keyboard: MessageKeyboard): MessageParams {
    return this.#with({ keyboard });
  }

  /**
   * Sets an image URL.
   *
   * @param url - public image URL
   */
  public withImage(url: string): MessageParams {
    return this.#with({ image: url });
  }

  /**
   * Sets a local image to upload.
   *
   * @param file - `{ name, data, contentType? }`, as {@link MessageParams.fileImage} takes
   */
  public withFileImage(file: FileAttachment): MessageParams {
    return new MessageParams(this.#body, file);
  }

  /**
   * Quotes a message.
   *
   * @param messageId - the message to quote
   * @param ignoreGetMessageError - send even when the quoted message cannot be fetched
   */
  public withReference(messageId: string, ignoreGetMessageError?: boolean): MessageParams {
    return this.#with({ message_reference: messageReference(messageId, ignoreGetMessageError) });
  }

  /**
   * Makes the message a reply (a passive message) to an inbound message.
   *
   * @param msgId - id of the message replied to
   */
  public withReply(msgId: string): MessageParams {
    return this.#with({ msg_id: msgId });
  }

  /**
   * Makes the message a reply to a non-message event (its payload `id`).
   *
   * @param eventId - id of the event replied to
   */
  public withEventId(eventId: string): MessageParams {
    return this.#with({ event_id: eventId });
  }

  /** The JSON body, without the local image (which travels as a multipart file part). */
  public toBody(): GuildMessageBody {
    return { ...this.#body };
  }

  #with(patch: GuildMessageBody): MessageParams {
    return new MessageParams({ ...this.#body, ...patch }, this.#fileImage);
  }
}
