import { isJsonObject, type JsonObject } from '../../util/guards.js';
import { ErrorCode } from '../errorCodes.js';
import { RestError } from '../RestError.js';

/**
 * The separate grants the platform gives a bot for rich content (docs/protocol.md §11): each is
 * `true` (granted) unless revoked, so a default emulator lets a bot send everything.
 */
export interface RichContentGrantSet {
  /** Raw markdown (`markdown.content`); refused with 40034012 [field]. */
  nativeMarkdown: boolean;
  /** Markdown templates (`markdown.custom_template_id`); refused with 304036 [docs]. */
  markdownTemplates: boolean;
  /** Markdown in replies (passive markdown is granted separately); refused with 304041 [field]. */
  replyMarkdown: boolean;
  /** Message buttons at all; refused with 304037 [docs]. */
  keyboards: boolean;
  /** Inline (custom) keyboards, as opposed to registered templates; refused with 304057 [field]. */
  customKeyboards: boolean;
}

const ALL_GRANTED: RichContentGrantSet = {
  nativeMarkdown: true,
  markdownTemplates: true,
  replyMarkdown: true,
  keyboards: true,
  customKeyboards: true,
};

/** What the emulated bot may send of markdown and keyboards; sends past its grants are refused. */
export class RichContentGrants {
  #grants: RichContentGrantSet = { ...ALL_GRANTED };

  /** The grants now in force. */
  get current(): Readonly<RichContentGrantSet> {
    return { ...this.#grants };
  }

  /**
   * Changes some grants, keeping the others.
   *
   * @param grants - `false` revokes, `true` grants
   */
  set(grants: { [K in keyof RichContentGrantSet]?: RichContentGrantSet[K] | undefined }): void {
    const next = { ...this.#grants };
    // Per grant: an explicit `undefined` leaves that grant as it is, as leaving it out does.
    for (const [name, granted] of Object.entries(grants)) {
      if (granted !== undefined) next[name as keyof RichContentGrantSet] = granted;
    }
    this.#grants = next;
  }

  /** Grants everything again. */
  reset(): void {
    this.#grants = { ...ALL_GRANTED };
  }

  /**
   * Refuses a send body that uses rich content the bot was not granted, with the platform's code.
   *
   * @param body - the send body
   * @throws RestError 400 with the code of the first grant missing
   */
  check(body: JsonObject): void {
    const markdown = body['markdown'];
    if (isJsonObject(markdown)) {
      const isReply = typeof body['msg_id'] === 'string' || typeof body['event_id'] === 'string';
      if (isReply && !this.#grants.replyMarkdown)
        throw refusal(ErrorCode.ReplyMarkdownNotPermitted, 'reply message not allow markdown');
      if (typeof markdown['content'] === 'string' && !this.#grants.nativeMarkdown)
        throw refusal(ErrorCode.NativeMarkdownNotPermitted, 'native markdown is not allowed for this bot');
      if (markdown['custom_template_id'] !== undefined && !this.#grants.markdownTemplates)
        throw refusal(ErrorCode.MarkdownTemplateNotPermitted, 'no permission for markdown templates');
    }
    const keyboard = body['keyboard'];
    if (isJsonObject(keyboard)) {
      if (!this.#grants.keyboards)
        throw refusal(ErrorCode.KeyboardNotPermitted, 'no permission for message buttons');
      if (keyboard['content'] !== undefined && !this.#grants.customKeyboards)
        throw refusal(ErrorCode.CustomKeyboardNotPermitted, 'not allowed custom keyboard');
    }
  }
}

function refusal(code: number, message: string): RestError {
  return new RestError(400, code, message);
}
