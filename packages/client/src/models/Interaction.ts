import { requireInteger } from '@bot/core';
import {
  callSiteOf,
  InteractionAckCode,
  MessageParams,
  OpenMessageParams,
  ValidationError,
  type ChatType,
  type Interaction as WireInteraction,
  type InteractionAck,
  type InteractionResolved,
  type InteractionType,
  type Message as WireMessage,
  type MediaSource,
  type OpenMessageResult,
  type PendingAudit,
  type CallSite,
  requestsFrom,
} from '@bot/http';
import { InteractionAckError } from '../errors/InteractionAckError.js';
import { arrivalTime, steadyArrivalTime } from './arrivalTime.js';
import { camelize, type Camelize } from './camelize.js';
import {
  answerInChannel,
  answerInOpenChat,
  answerWithMediaInOpenChat,
  eventReplyWindow,
  type AnsweredEvent,
  type EventReplyScene,
} from './eventReplies.js';
import { checkedInteraction } from './eventShapes.js';
import { INSPECT, inspectModel } from './inspectModel.js';
import type { GuildReplyInput } from './Message.js';
import type { ModelBinding } from './ModelBinding.js';
import type { OpenChatMessage, OpenReplyInput, ReplyMediaOptions } from './OpenChatMessage.js';
import { guildImageParams } from './reply/guildMedia.js';
import { replyPolicyOf, type ReplyOptions } from './reply/replyRules.js';
import type { ReplyWindow } from './reply/ReplyWindow.js';
import { replyWindowOpenedAt } from './reply/replyWindowOpening.js';

/**
 * `INTERACTION_CREATE`'s payload as the model lets it through: the wire type with its kinds open
 * to values it does not list (the platform sends kind 13 for a feedback press, for one), so typed
 * `number`, and `data.type` optional, as the documentation's field list leaves it out
 * (docs/protocol.md §16.2).
 */
export interface InteractionPayload extends Omit<WireInteraction, 'type' | 'chat_type' | 'data'> {
  /** Kind: {@link InteractionType} (11 a message button, 12 a C2C quick-menu entry) or one added since. */
  type: number;
  /**
   * Where it happened: {@link ChatType} (0 guild, 1 group, 2 C2C), a number or a numeric string;
   * {@link Interaction.scene} places it only when it names one of the three.
   */
  chat_type?: number | string;
  /** What was pressed. */
  data?: InteractionPayloadData;
}

/** `data` of an {@link InteractionPayload}. */
export interface InteractionPayloadData {
  /** The kind again, as the payloads seen carry it. */
  type?: number;
  /** What was pressed; other kinds of interaction carry other fields here. */
  resolved?: InteractionResolved;
}

/** `chat_type` → scene, for payloads that carry only one of the two (docs/protocol.md §7.3). */
const SCENE_OF_CHAT_TYPE: Readonly<Record<number | string, EventReplyScene>> = {
  0: 'guild',
  1: 'group',
  2: 'c2c',
};

/**
 * Someone pressed a message button or chose a menu entry (`INTERACTION_CREATE`).
 *
 * Acknowledge it once with {@link Interaction.ack}, soon (the user's client shows a spinner until
 * then), and answer it with {@link Interaction.reply}, which quotes the interaction's id as
 * `event_id` in the chat it happened in (docs/protocol.md §13).
 *
 * ```ts
 * async interactionCreate(_ctx: Context, interaction: Interaction) {
 *   await interaction.ack(InteractionAckCode.Success);
 *   if (interaction.buttonData === 'vote:yes') await interaction.reply('Thanks for voting!');
 * }
 * ```
 */
export class Interaction implements AnsweredEvent {
  /** Interaction id: acknowledgements address it, answers quote it as `event_id`. */
  public readonly id: string;
  /** The wire object, as checked when the model was built. */
  public readonly raw: InteractionPayload;
  /** The dispatch event, always `INTERACTION_CREATE`. */
  public readonly event = 'INTERACTION_CREATE' as const;
  /** Id of the gateway event that carried it. */
  public readonly dispatchId: string | undefined;
  readonly #binding: ModelBinding;
  #data: Readonly<Camelize<InteractionPayload>> | undefined;
  #ackCode: InteractionAckCode | undefined;
  readonly #receivedAt = arrivalTime();
  readonly #steadyReceivedAt = steadyArrivalTime();
  #replyWindow: ReplyWindow | undefined;

  /**
   * @param data - the wire payload
   * @param binding - API and reply numbering of the receiving client
   * @param dispatchId - id of the carrying gateway event
   * @throws `ValidationError` naming the field when the payload lacks its id or kind, or holds a
   *   field of another type (docs/protocol.md §16.2); the client reports it as a MalformedEventError
   */
  public constructor(data: InteractionPayload, binding: ModelBinding, dispatchId?: string) {
    checkedInteraction(data);
    this.#binding = binding;
    // Acknowledgements address it, answers quote it as `event_id`.
    this.id = data.id;
    this.raw = data;
    this.dispatchId = dispatchId;
  }

  /** The id answers quote as `event_id`: the interaction's own id, as documented. */
  public get eventId(): string {
    return this.id;
  }

  /**
   * The interaction's fields, camel-cased (`chatType`, `groupOpenid`, `data.resolved.buttonData`,
   * …); copied on first read, as most handlers only need {@link Interaction.buttonData}.
   */
  public get data(): Readonly<Camelize<InteractionPayload>> {
    return (this.#data ??= camelize(this.raw));
  }

  /** Where it happened: `scene`, or `chat_type` when `scene` is absent; `undefined` if neither. */
  public get scene(): EventReplyScene | undefined {
    const scene = this.raw.scene;
    if (scene === 'guild' || scene === 'group' || scene === 'c2c') return scene;
    const chatType = this.raw.chat_type;
    // Own keys only: a malformed `chat_type` such as "toString" would otherwise read a function of
    // Object.prototype as the scene, and the answer window would fail with a TypeError.
    return chatType !== undefined && Object.hasOwn(SCENE_OF_CHAT_TYPE, chatType)
      ? SCENE_OF_CHAT_TYPE[chatType]
      : undefined;
  }

  /**
   * The answer window: opened when the press happened (its `timestamp`; when it was received if
   * it carries none), as long as a message's of the same scene (group 5 min and 5 answers, C2C 60 min and 5, guild 5 min); `undefined` when the
   * payload names no scene.
   */
  public get replyWindow(): ReplyWindow | undefined {
    return (this.#replyWindow ??= eventReplyWindow(
      this.event,
      this.scene,
      this.id,
      replyWindowOpenedAt(this.#receivedAt, this.raw.timestamp),
      { wall: this.#receivedAt, steady: this.#steadyReceivedAt },
    ));
  }

  /** The `button_data` of the pressed button, when present. */
  public get buttonData(): string | undefined {
    // `null` reads as absent (docs/protocol.md §16), as the type says.
    return this.raw.data?.resolved?.button_data ?? undefined;
  }

  /** The `id` of the pressed button, when present. */
  public get buttonId(): string | undefined {
    return this.raw.data?.resolved?.button_id ?? undefined;
  }

  /** Who pressed: the user id (guild), member openid (group) or user openid (C2C). */
  public get userId(): string | undefined {
    return (
      this.raw.data?.resolved?.user_id ?? this.raw.group_member_openid ?? this.raw.user_openid ?? undefined
    );
  }

  /** The code this interaction was acknowledged with (or is being), `undefined` before {@link Interaction.ack}. */
  public get acknowledged(): InteractionAckCode | undefined {
    return this.#ackCode;
  }

  /** The fields this model surfaces, for logging and `JSON.stringify`. */
  public toJSON(): Record<string, unknown> {
    return { id: this.id, scene: this.scene, acknowledged: this.#ackCode, data: this.data };
  }

  /** What `console.log` shows: the class name and {@link Interaction.toJSON}. */
  public [INSPECT](_depth: number, options: object): string {
    return inspectModel(this, options);
  }

  /**
   * Tells the platform how the interaction went (`PUT /interactions/{id}`); the user sees the
   * outcome. Once per interaction: a failed request may be tried again, a successful one not.
   *
   * @param answer - {@link InteractionAckCode}: 0 success (default), 1 failed, 2 too frequent,
   *   3 duplicate, 4 no permission, 5 admins only; or `{ code, data }` to send a `data` object of
   *   JSON values with it (only the official SDK knows of `data`: see `api.interactions.acknowledge`)
   * @throws {@link InteractionAckError} when the interaction is already acknowledged or being so
   * @throws `ValidationError` for a code outside 0–5 or a `data` JSON would not carry unchanged,
   *   before any request; the interaction stays unacknowledged
   */
  public async ack(answer: InteractionAckCode | InteractionAck = InteractionAckCode.Success): Promise<void> {
    if (this.#ackCode !== undefined) throw new InteractionAckError(this.id, this.#ackCode);
    const code = typeof answer === 'object' && answer !== null ? answer.code : answer;
    // Checked before it is taken: a missing code taken as the mark would mark nothing.
    requireInteger(code, 'code', InteractionAckCode.Success, InteractionAckCode.AdminOnly);
    // Taken before the request, so a second ack() meanwhile is refused; given back on failure.
    this.#ackCode = code;
    try {
      // A failure shows the caller's line, not this method's.
      await requestsFrom(callSiteOf(Interaction.prototype.ack), () =>
        this.#binding.api.interactions.acknowledge(this.id, answer),
      );
    } catch (error) {
      this.#ackCode = undefined;
      throw error;
    }
  }

  /**
   * Answers the interaction in the chat it happened in: the group (`group_openid`), the C2C chat
   * (`user_openid`) or the guild text channel (`channel_id`), quoting its id as `event_id`; group
   * and C2C answers are numbered by `msg_seq`, so several answers all go out.
   *
   * @param input - text; in a group or C2C an `OpenMessageParams` builder or body, in a guild a
   *   `MessageParams` builder or body
   * @param options - `replyWindow: 'ignore'` sends even after the answer window
   * @throws `ReplyWindowClosedError` when the answer window has passed or its answers are used up
   * @throws `ValidationError` when the payload lacks the scene's target id
   */
  public async reply(
    input: OpenReplyInput | GuildReplyInput,
    options?: ReplyOptions,
  ): Promise<OpenMessageResult | WireMessage | PendingAudit> {
    // A failure shows the caller's line, not the answer's framework frames.
    return requestsFrom(callSiteOf(Interaction.prototype.reply), () => this.#answer(input, options));
  }

  /**
   * Answers the interaction with an image, video, voice clip or file, in the group or C2C chat it
   * happened in: uploads it to that chat, then sends it as {@link Interaction.reply} does (quoting
   * the interaction's id as `event_id`, numbered by `msg_seq`, counted in the answer window). A
   * closed window is refused before anything is uploaded; a failed upload takes no `msg_seq`.
   * The window, `signal`, `timeout` and reuse work as in {@link OpenChatMessage.replyMedia}.
   * In a guild channel, which takes images only, the image goes out as a guild message's does
   * (`Message.replyMedia`: a `URL` as `image`, other sources as a `file_image` part), quoting
   * the interaction's id as `event_id`; there `signal` covers reading the image, not the send.
   *
   * @param source - a file path, bytes, a readable stream, or an `http(s)` `URL` the platform fetches
   * @param options - `fileType`, the upload's settings, `content` sent with it, window policy
   * @throws `ValidationError` for media other than an image in a guild (`options.fileType`), or
   *   when the payload names no scene or lacks the scene's target id
   * @throws `ReplyWindowClosedError` when the answer window has passed or its answers are used up
   * @throws `MediaTooLargeError`, `MediaUploadError`, the signal's reason, `AbortedAfterSendError`,
   *   `DuplicateSendError` or `ApiError`, as {@link OpenChatMessage.replyMedia} says
   */
  public async replyMedia(
    source: MediaSource,
    options: ReplyMediaOptions,
  ): Promise<OpenMessageResult | WireMessage | PendingAudit> {
    const site = callSiteOf(Interaction.prototype.replyMedia);
    if (this.scene === 'guild') return this.#imageInChannel(source, options, site);
    const scene = this.#openScene();
    const target = this.#target(scene === 'group' ? 'group_openid' : 'user_openid');
    return answerWithMediaInOpenChat(this.#binding, this, scene, target, source, options, site);
  }

  /**
   * Answers a guild interaction with an image: checked against the answer window first (nothing is
   * read for a closed one), then read and sent as {@link Interaction.reply} sends.
   */
  async #imageInChannel(
    source: MediaSource,
    options: ReplyMediaOptions,
    site: CallSite,
  ): Promise<WireMessage | PendingAudit> {
    const channel = this.#target('channel_id');
    this.replyWindow?.check(replyPolicyOf(options, this.#binding.replyWindow));
    const params = await requestsFrom(site, () => guildImageParams(source, options));
    return requestsFrom(site, () => answerInChannel(this.#binding, this, channel, params, options));
  }

  /** The interaction's scene, refused unless a group or C2C chat (media goes to one of those). */
  #openScene(): 'group' | 'c2c' {
    const scene = this.scene;
    if (scene === 'group' || scene === 'c2c') return scene;
    throw new ValidationError(
      'd.scene',
      'is missing or unknown, as is d.chat_type: the answer has nowhere to go',
    );
  }

  /** Sends the answer to the chat of the interaction's scene (see {@link Interaction.reply}). */
  #answer(
    input: OpenReplyInput | GuildReplyInput,
    options: ReplyOptions | undefined,
  ): Promise<OpenMessageResult | WireMessage | PendingAudit> {
    const scene = this.scene;
    if (scene === undefined)
      throw new ValidationError(
        'd.scene',
        'is missing or unknown, as is d.chat_type: the answer has nowhere to go',
      );
    if (scene === 'guild') {
      if (input instanceof OpenMessageParams)
        throw wrongBuilder('OpenMessageParams', 'guild', 'MessageParams');
      return answerInChannel(
        this.#binding,
        this,
        this.#target('channel_id'),
        input as GuildReplyInput,
        options,
      );
    }
    if (input instanceof MessageParams) throw wrongBuilder('MessageParams', scene, 'OpenMessageParams');
    const target = this.#target(scene === 'group' ? 'group_openid' : 'user_openid');
    return answerInOpenChat(this.#binding, this, scene, target, input as OpenReplyInput, options);
  }

  #target(field: 'channel_id' | 'group_openid' | 'user_openid'): string {
    const value = this.raw[field];
    if (typeof value !== 'string' || value === '')
      throw new ValidationError(
        `d.${field}`,
        `is missing: a ${this.scene} interaction names where to answer by it`,
      );
    return value;
  }
}

function wrongBuilder(given: string, scene: string, wanted: string): ValidationError {
  return new ValidationError(
    'input',
    `is ${withArticle(given)}, but a ${scene} interaction is answered with text or ${withArticle(wanted)}`,
  );
}

/** `a MessageParams`, `an OpenMessageParams`: the article by the name's first letter. */
function withArticle(name: string): string {
  return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
}
