import {
  MessageParams,
  type GuildMessageBody,
  type GuildMessageInput,
  type Message as WireMessage,
  type MessageAttachment,
  type MessageEmbed,
  type MessageArk,
  type PendingAudit,
  callSiteOf,
  requestsFrom,
  ValidationError,
  type CallOptions,
  type MediaSource,
} from '@bot/http';
import { arrivalTime, steadyArrivalTime } from './arrivalTime.js';
import { channelMentionIds, stripMentions, toDate, unescapeContent, userMentionIds } from './content.js';
import { INSPECT, inspectModel } from './inspectModel.js';
import type { ModelBinding } from './ModelBinding.js';
import { sendOptionsOf, type ReplyMediaOptions } from './OpenChatMessage.js';
import { withoutBlankAddressing } from './reply/blankAddressing.js';
import { fallbackText } from './reply/fallbackText.js';
import { guildImageParams } from './reply/guildMedia.js';
import { prepareThenReply } from './reply/prepareThenReply.js';
import { openCallerStream, pipeCallerStream } from './reply/callerStream.js';
import { replyPolicyOf, type ReplyOptions, type ReplyWindowPolicy } from './reply/replyRules.js';
import { ReplyStream } from './reply/ReplyStream.js';
import type { ReplyStreamOptions, ReplyStreamResult } from './reply/replyStreamOptions.js';
import { OneMessageSink } from './reply/ReplyStreamSink.js';
import { ReplyWindow } from './reply/ReplyWindow.js';
import { replyWindowOpenedAt } from './reply/replyWindowOpening.js';
import { User } from './User.js';
import {
  hasWireObject,
  shownOrRaw,
  wireId,
  wireList,
  wireObject,
  wireObjectList,
  wirePayload,
  wireText,
} from './wireShape.js';

/** Text a reply accepts: plain text, a {@link MessageParams} builder, or a wire body. */
export type GuildReplyInput = string | GuildMessageInput;

/**
 * A message in a guild channel: `AT_MESSAGE_CREATE` (the bot was mentioned, handled by
 * `messageCreate`) or `MESSAGE_CREATE` (every message, private-domain bots, `guildMessageCreate`).
 */
export class Message {
  /** Message id; replies quote it as `msg_id`. */
  public readonly id: string;
  /** Channel it was sent in. */
  public readonly channelId: string;
  /** Guild it was sent in. */
  public readonly guildId: string;
  /** Content exactly as received. */
  public readonly rawContent: string;
  /** Whether it mentions everyone. */
  public readonly mentionEveryone: boolean;
  /**
   * Attached files. When the payload has none, one frozen empty list shared by every message:
   * copy it (`[...message.attachments]`) before changing it.
   */
  public readonly attachments: readonly MessageAttachment[];
  /**
   * Embeds. When the payload has none, one frozen empty list shared by every message: copy it
   * (`[...message.embeds]`) before changing it.
   */
  public readonly embeds: readonly MessageEmbed[];
  /** Ark template, when it is an ark message. */
  public readonly ark: MessageArk | undefined;
  /** Sequence number in the guild. */
  public readonly seq: number | undefined;
  /** Sequence number in the channel. */
  public readonly seqInChannel: string | undefined;
  /** Id of the gateway event that carried the message. */
  public readonly eventId: string | undefined;
  /** The wire object, for fields this model does not surface. */
  public readonly raw: WireMessage;
  protected readonly binding: ModelBinding;
  /** Where the message was received, for its reply rules. */
  protected readonly replyScene: 'guild' | 'dm' = 'guild';
  readonly #receivedAt = arrivalTime();
  readonly #steadyReceivedAt = steadyArrivalTime();
  #replyWindow: ReplyWindow | undefined;
  // Built on first read: most handlers look at a few fields of a message, if any, and a busy
  // bot receives far more messages than it answers.
  #content: string | undefined;
  #author: User | undefined;
  #mentions: readonly User[] | undefined;

  /**
   * @param data - the wire message
   * @param binding - the API and reply numbering of the client that received it
   * @param eventId - id of the carrying event
   */
  public constructor(data: WireMessage, binding: ModelBinding, eventId?: string) {
    // The lazy fields are read later, inside handlers: check their shape now, so a malformed
    // payload fails here, once, as the model's error instead of in every handler that reads it.
    // Only fields read here anyway are checked here (each check touches its value's memory, on
    // every event); the items of a list and a member's roles are checked when first read. The
    // attachments are the exception: they are a plain field, not built on first read, so a handler
    // would meet a `null` typed as an attachment; their items are checked here, a loop only when
    // there are any (most messages have none, the rest one or two).
    wirePayload(data);
    wireObject(data.author, 'd.author', 'the message names no sender');
    // `author.id` is typed present, and `isFromBot()`, mentions and bots' own-message filters
    // compare it: checked here, as the group and C2C models check their author's ids.
    wireId(data.author.id, 'd.author.id');
    wireList(data.mentions, 'd.mentions');
    this.binding = binding;
    this.raw = data;
    // Replies quote the id as `msg_id` (without it one would go out as a proactive message) and
    // are sent to the channel (a DM's to the guild).
    this.id = wireId(data.id, 'd.id');
    this.channelId = wireId(data.channel_id, 'd.channel_id');
    this.guildId = wireId(data.guild_id, 'd.guild_id');
    this.rawContent = wireText(data.content, 'd.content');
    this.mentionEveryone = data.mention_everyone === true;
    this.attachments = wireObjectList(data.attachments, 'd.attachments');
    this.embeds = wireList(data.embeds, 'd.embeds');
    this.ark = data.ark;
    this.seq = data.seq;
    this.seqInChannel = data.seq_in_channel;
    this.eventId = eventId;
  }

  /** Content with the platform's escaping undone (`&amp;` → `&`). */
  public get content(): string {
    return (this.#content ??= unescapeContent(this.rawContent));
  }

  /** When it was sent (a fresh `Date` on every read). */
  public get timestamp(): Date | undefined {
    return toDate(this.raw.timestamp);
  }

  /** When it was last edited (a fresh `Date` on every read). */
  public get editedTimestamp(): Date | undefined {
    return toDate(this.raw.edited_timestamp);
  }

  /** The sender. */
  public get author(): User {
    return (this.#author ??= new User(this.raw.author));
  }

  /**
   * The sender's guild membership (nickname, roles, join time), when sent; a fresh object on every
   * read.
   *
   * @throws `ValidationError` naming `d.member` or `d.member.roles` when the payload holds another
   *   type there (a malformed payload)
   */
  public get member():
    { nick: string | undefined; roles: readonly string[]; joinedAt: Date | undefined } | undefined {
    const member = this.raw.member;
    if (!hasWireObject(member, 'd.member')) return undefined;
    // A fresh list when the payload has none, as before: the shared empty one is frozen.
    const roles = member.roles == null ? [] : wireList(member.roles, 'd.member.roles');
    return { nick: member.nick, roles, joinedAt: toDate(member.joined_at) };
  }

  /**
   * Users mentioned.
   *
   * @throws `ValidationError` naming the item (`d.mentions[0]`) when one is not an object, or its
   *   id (`d.mentions[0].id`) when that is not a non-empty string (a malformed payload)
   */
  public get mentions(): readonly User[] {
    return (this.#mentions ??= wireObjectList(this.raw.mentions, 'd.mentions').map((user, index) => {
      // Each mention's id is typed present and compared by `mentionsUser`.
      wireId(user.id, `d.mentions[${index}].id`);
      return new User(user);
    }));
  }

  /** The message this one quotes. */
  public get referencedMessageId(): string | undefined {
    return this.raw.message_reference?.message_id;
  }

  /** Whether a bot sent it. */
  public isFromBot(): boolean {
    return this.author.bot;
  }

  /** Whether `userId` is mentioned, in the mention list or as `<@!id>` in the content. */
  public mentionsUser(userId: string): boolean {
    return (
      this.mentions.some((user) => user.id === userId) || userMentionIds(this.rawContent).includes(userId)
    );
  }

  /** Ids of the users mentioned in the content. */
  public userMentionIds(): string[] {
    return userMentionIds(this.rawContent);
  }

  /** Ids of the channels mentioned in the content. */
  public channelMentionIds(): string[] {
    return channelMentionIds(this.rawContent);
  }

  /**
   * The content without user mentions, trimmed: `<@!bot> !ping` → `!ping`. Line breaks and
   * indentation stay (see `stripMentions`).
   */
  public get cleanContent(): string {
    // Mentions are found in the raw text: unescaped, a `<@!id>` the user typed would look like one.
    return unescapeContent(stripMentions(this.rawContent));
  }

  /** The fields this model surfaces, for logging and `JSON.stringify` (the API binding left out). */
  public toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      channelId: this.channelId,
      guildId: this.guildId,
      content: this.content,
      rawContent: this.rawContent,
      timestamp: this.timestamp,
      editedTimestamp: this.editedTimestamp,
      mentionEveryone: this.mentionEveryone,
      author: this.author,
      member: shownOrRaw(() => this.member, this.raw.member),
      attachments: this.attachments,
      embeds: this.embeds,
      mentions: shownOrRaw(() => this.mentions, this.raw.mentions),
      ark: this.ark,
      seq: this.seq,
      seqInChannel: this.seqInChannel,
      referencedMessageId: this.referencedMessageId,
      eventId: this.eventId,
    };
  }

  /** What `console.log` shows: the class name and {@link Message.toJSON}. */
  public [INSPECT](_depth: number, options: object): string {
    return inspectModel(this, options);
  }

  /**
   * Replies in the same channel, quoting this message's id so the platform accepts it as a reply.
   *
   * @param input - text, a {@link MessageParams} builder, or a wire body
   * @param options - `{ replyWindow: 'ignore' }` sends even after the reply window
   * @returns the sent message, or a {@link PendingAudit} when the platform holds it for audit
   * @throws `ReplyWindowClosedError` when the 5-minute window has passed (nothing is sent)
   * @throws `ValidationError` when the input sets a `msg_id` other than this message's, or an
   *   `event_id`, before any request (see {@link Message.asReply})
   */
  public reply(input: GuildReplyInput, options?: ReplyOptions): Promise<WireMessage | PendingAudit> {
    // A failure shows the caller's line, not the reply's framework frames.
    return requestsFrom(callSiteOf(Message.prototype.reply), () =>
      this.replyWithin(options, () => this.sendToChannel(this.asReply(input))),
    );
  }

  /**
   * Replies with an image, the one kind of media a guild channel or DM takes (docs/protocol.md
   * §8.10): a `URL` goes out as `image` (the platform fetches it), a path, bytes or a stream as a
   * multipart `file_image` part (10 MiB for the whole message at most). It quotes this message's
   * id and counts in its window as `reply()` does: a closed window is refused before anything is
   * read, and a failed read sends nothing and gives the count back. The same call as a group or
   * C2C message's `replyMedia`, so code serving every scene needs no branch for images.
   *
   * ```ts
   * await message.replyMedia('./chart.png', { fileType: MediaFileType.Image, content: 'Today' });
   * ```
   *
   * @param source - a file path, bytes, a readable stream, or an `http(s)` `URL`
   * @param options - `fileType` (must be an image), `fileName`, `content` sent with it, window
   *   policy, `signal` and `timeout`; the upload options of group and C2C (`reuse`, `onProgress`,
   *   …) do not apply, as nothing is uploaded ahead
   * @returns the sent message, or a {@link PendingAudit} when the platform holds it for audit
   * @throws `ValidationError` (`options.fileType`) before any request for a video, voice clip or
   *   file; `ReplyWindowClosedError` when the window is closed (unless ignored);
   *   `FileImageTooLargeError` when the image leaves the message over 10 MiB; the file system's
   *   error for a path it cannot read
   */
  public replyMedia(source: MediaSource, options: ReplyMediaOptions): Promise<WireMessage | PendingAudit> {
    const site = callSiteOf(Message.prototype.replyMedia);
    return prepareThenReply(
      site,
      this.replyWindow,
      this.replyPolicy(options),
      () => guildImageParams(source, options),
      (params) => this.sendToChannel(this.asReply(params), sendOptionsOf(options)),
    );
  }

  /** Sends to the channel this message came from (a DM's to its DM session). */
  protected sendToChannel(params: MessageParams, call?: CallOptions): Promise<WireMessage | PendingAudit> {
    return this.binding.api.messages.send(this.channelId, params, call);
  }

  /**
   * This message's passive-reply window (5 minutes; no documented count, so `remaining` is
   * `undefined`; docs/protocol.md §8.2, §15.2).
   */
  public get replyWindow(): ReplyWindow {
    return (this.#replyWindow ??= new ReplyWindow(
      this.replyScene,
      this.id,
      replyWindowOpenedAt(this.#receivedAt, this.raw.timestamp),
      { wall: this.#receivedAt, steady: this.#steadyReceivedAt },
    ));
  }

  /**
   * A streamed reply. Guilds have no streaming: the text is kept and sent as one message on
   * `end()` (docs/protocol.md §15.3), so code written for C2C streams works here unchanged.
   *
   * @param options - length limit and window policy
   */
  public replyStream(options?: ReplyStreamOptions): ReplyStream {
    const sink = new OneMessageSink((text) => this.reply(fallbackText(text, options), options));
    return openCallerStream(
      Message.prototype.replyStream,
      () => new ReplyStream(sink, this.replyWindow, this.replyPolicy(options), options, this.binding.streams),
    );
  }

  /**
   * Collects every piece of `source`, then replies once with the whole text (see
   * {@link Message.replyStream}).
   *
   * @param source - pieces of text
   * @param options - length limit and window policy
   */
  public replyStreamFrom(
    source: AsyncIterable<string> | Iterable<string>,
    options?: ReplyStreamOptions,
  ): Promise<ReplyStreamResult> {
    return pipeCallerStream(Message.prototype.replyStreamFrom, () => this.replyStream(options), source);
  }

  /** Sends one reply inside this message's window (checked unless the policy is `'ignore'`). */
  protected replyWithin<T>(options: ReplyOptions | undefined, send: () => Promise<T>): Promise<T> {
    return this.replyWindow.run(this.replyPolicy(options), send);
  }

  private replyPolicy(options: ReplyOptions | undefined): ReplyWindowPolicy {
    return replyPolicyOf(options, this.binding.replyWindow);
  }

  /**
   * Turns any reply input into parameters that quote this message's id as `msg_id`.
   *
   * @throws `ValidationError` (`input.msg_id`, `input.event_id`) when the input quotes another
   *   message or an event: the reply would go out counted against this message's window while
   *   answering another, so the reply owns its addressing, as group and C2C replies do; one set to
   *   `null` or `''` (a JSON body's way to leave it unset) is left out
   */
  protected asReply(input: GuildReplyInput): MessageParams {
    if (typeof input === 'string') return MessageParams.text(input).withReply(this.id);
    let params = input instanceof MessageParams ? input : MessageParams.from(input as GuildMessageBody);
    let body = params.toBody();
    const cleared = withoutBlankAddressing(body, ['msg_id', 'event_id']);
    if (cleared !== undefined) {
      body = cleared;
      params = MessageParams.from(cleared);
      if (input instanceof MessageParams && input.fileImage !== undefined)
        params = params.withFileImage(input.fileImage);
    }
    const api = this.replyScene === 'dm' ? 'api.dms.send' : 'api.messages.send';
    const instead = `leave it unset (the reply fills it in), or send with ${api} to address a message yourself`;
    if (body.msg_id !== undefined && body.msg_id !== this.id)
      throw new ValidationError(
        'input.msg_id',
        `is "${String(body.msg_id)}", but this reply quotes msg_id "${this.id}": ${instead}`,
      );
    if (body.event_id !== undefined)
      throw new ValidationError(
        'input.event_id',
        `is "${String(body.event_id)}", but this reply quotes msg_id "${this.id}": ${instead}`,
      );
    return params.withReply(this.id);
  }
}
