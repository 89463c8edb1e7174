import type { OpenMessageBody, OpenMessageResult, OpenMessageAttachment } from '@bot/core';
import {
  callSiteOf,
  OpenMessageParams,
  requestsFrom,
  type OpenMessageInput,
  type PendingAudit,
} from '@bot/http';
import { arrivalTime, steadyArrivalTime } from './arrivalTime.js';
import { stripMentions, toDate, unescapeContent } from './content.js';
import { INSPECT, inspectModel } from './inspectModel.js';
import type { ModelBinding } from './ModelBinding.js';
import type { ReplySequencer } from './ReplySequencer.js';
import { fallbackText } from './reply/fallbackText.js';
import { openCallerStream, pipeCallerStream } from './reply/callerStream.js';
import { replyPolicyOf, type ReplyOptions } from './reply/replyRules.js';
import { ReplyStream } from './reply/ReplyStream.js';
import type { ReplyStreamOptions, ReplyStreamResult } from './reply/replyStreamOptions.js';
import { OneMessageSink, type ReplyStreamSink } from './reply/ReplyStreamSink.js';
import { ReplyWindow } from './reply/ReplyWindow.js';
import { replyWindowOpenedAt } from './reply/replyWindowOpening.js';
import { wireId, wireList, wirePayload, wireText } from './wireShape.js';

/** What a group or C2C reply accepts: text, an {@link OpenMessageParams} builder, or a wire body. */
export type OpenReplyInput = string | OpenMessageInput;

/**
 * Replies to an inbound group/C2C message or event, numbering `msg_seq` per inbound id so several
 * replies to one message all succeed ({@link ReplySequencer.send} decides what a refused number
 * means).
 *
 * @param binding - API and reply numbering
 * @param replyTo - the inbound message id (sent as `msg_id`) or event id (`event_id`)
 * @param as - which of the two the id is
 * @param input - what to send
 * @param send - the endpoint (group or C2C) bound to its target
 */
export async function sendOpenReply(
  binding: ModelBinding,
  replyTo: string,
  as: 'msg_id' | 'event_id',
  input: OpenReplyInput,
  send: (params: OpenMessageParams) => Promise<OpenMessageResult | PendingAudit>,
): Promise<OpenMessageResult | PendingAudit> {
  const base =
    typeof input === 'string'
      ? OpenMessageParams.text(input)
      : input instanceof OpenMessageParams
        ? input
        : OpenMessageParams.from(input as OpenMessageBody);
  const addressed = as === 'msg_id' ? base.withReply(replyTo) : base.withEventId(replyTo);
  return binding.replies.send(replyTo, (msgSeq) => send(addressed.withMsgSeq(msgSeq)));
}

/** Fields shared by group and C2C messages. */
export abstract class OpenChatMessage {
  /** Message id; replies quote it as `msg_id`. */
  public readonly id: string;
  /** Content exactly as received. */
  public readonly rawContent: string;
  /**
   * Attached files. When the payload has none, one frozen empty list shared by every message:
   * copy it (`[...message.attachments]`) before changing it.
   */
  public readonly attachments: readonly OpenMessageAttachment[];
  /** Id of the gateway event that carried the message. */
  public readonly eventId: string | undefined;
  protected readonly binding: ModelBinding;
  /** Where the message was received, for its reply rules. */
  protected abstract readonly replyScene: 'c2c' | 'group';
  readonly #sentAt: string | undefined;
  readonly #receivedAt = arrivalTime();
  readonly #steadyReceivedAt = steadyArrivalTime();
  #replyWindow: ReplyWindow | undefined;
  // Built on first read: most messages are never looked at past their first few fields.
  #content: string | undefined;

  /**
   * @param data - the wire fields shared by both kinds
   * @param binding - API and reply numbering of the receiving client
   * @param eventId - id of the carrying event
   */
  protected constructor(
    data: { id: string; content?: string; timestamp?: string; attachments?: OpenMessageAttachment[] },
    binding: ModelBinding,
    eventId: string | undefined,
  ) {
    wirePayload(data);
    this.binding = binding;
    // Replies quote it as `msg_id`, and number their `msg_seq` by it: without it a reply would go
    // out as a proactive message.
    this.id = wireId(data.id, 'd.id');
    this.rawContent = wireText(data.content, 'd.content');
    this.#sentAt = data.timestamp;
    this.attachments = wireList(data.attachments, 'd.attachments');
    this.eventId = eventId;
  }

  /** Content with the platform's escaping undone. */
  public get content(): string {
    return (this.#content ??= unescapeContent(this.rawContent));
  }

  /** When it was sent (a fresh `Date` on every read). */
  public get timestamp(): Date | undefined {
    return toDate(this.#sentAt);
  }

  /** What `console.log` shows: the class name and {@link OpenChatMessage.toJSON}. */
  public [INSPECT](_depth: number, options: object): string {
    return inspectModel(this, options);
  }

  /** The fields this model surfaces, for logging and `JSON.stringify` (the API binding left out). */
  public toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      content: this.content,
      rawContent: this.rawContent,
      timestamp: this.timestamp,
      attachments: this.attachments,
      eventId: this.eventId,
    };
  }

  /**
   * The content trimmed, mentions removed: group messages arrive as `" hello"` once the platform
   * strips the bot's mention, and commands want `"hello"`.
   */
  public get cleanContent(): string {
    // Mentions are found in the raw text: unescaped, a `<@!id>` the user typed would look like one.
    return unescapeContent(stripMentions(this.rawContent));
  }

  /** Group and C2C messages always come from users: bots cannot message bots here. */
  public isFromBot(): boolean {
    return false;
  }

  /**
   * Replies to this message. `msg_id` and a fresh `msg_seq` are filled in, so calling it several
   * times (up to the platform's 5 replies per message) sends several replies.
   *
   * @param input - text, an {@link OpenMessageParams} builder (markdown, keyboard, ark, embed, media), or a wire body
   * @returns the sent message's id and time, or a {@link PendingAudit}
   * @throws `DuplicateSendError` when the reply was re-sent after a failure (5xx, lost connection)
   *   and the platform refused the re-send as a duplicate: the reply was probably delivered, and it
   *   is not sent again
   */
  public reply(input: OpenReplyInput, options?: ReplyOptions): Promise<OpenMessageResult | PendingAudit> {
    // A failure shows the caller's line, not the reply's framework frames.
    return requestsFrom(callSiteOf(OpenChatMessage.prototype.reply), () =>
      this.replyWindow.run(replyPolicyOf(options, this.binding.replyWindow), () =>
        sendOpenReply(this.binding, this.id, 'msg_id', input, (params) => this.sendToChat(params)),
      ),
    );
  }

  /**
   * This message's passive-reply window: until when it can be replied to and how many replies
   * are left (docs/protocol.md §8.2, §15.2). It opens when the message was received, or earlier
   * when the platform stamped it earlier (a backlogged or replayed event). `reply()` and `replyStream()` refuse a closed window
   * with a `ReplyWindowClosedError` unless `{ replyWindow: 'ignore' }`.
   */
  public get replyWindow(): ReplyWindow {
    return (this.#replyWindow ??= new ReplyWindow(
      this.replyScene,
      this.id,
      replyWindowOpenedAt(this.#receivedAt, this.#sentAt),
      { wall: this.#receivedAt, steady: this.#steadyReceivedAt },
    ));
  }

  /**
   * Starts a reply that grows as text arrives: C2C shows it live (`stream_messages`), groups get
   * one message with the whole text on `end()` (docs/protocol.md §15.3), so the same code serves
   * both.
   *
   * @param options - frame interval, length limit, window policy
   * @throws `ReplyWindowClosedError` when the window is closed (unless ignored)
   */
  public replyStream(options?: ReplyStreamOptions): ReplyStream {
    const policy = replyPolicyOf(options, this.binding.replyWindow);
    return openCallerStream(
      OpenChatMessage.prototype.replyStream,
      () =>
        new ReplyStream(this.streamSink(options), this.replyWindow, policy, options, this.binding.streams),
    );
  }

  /**
   * Streams every piece of `source` as one growing reply, then ends it (see
   * {@link OpenChatMessage.replyStream}).
   *
   * @param source - pieces of text, e.g. tokens from a model
   * @param options - frame interval, length limit, window policy
   * @throws `ReplyStreamError` `'source'` when the source throws (the reply is closed with the
   *   text so far), `ReplyWindowClosedError` when the window is closed
   */
  public replyStreamFrom(
    source: AsyncIterable<string> | Iterable<string>,
    options?: ReplyStreamOptions,
  ): Promise<ReplyStreamResult> {
    return pipeCallerStream(
      OpenChatMessage.prototype.replyStreamFrom,
      () => this.replyStream(options),
      source,
    );
  }

  /** Where a streamed reply's frames go: one message at the end, unless the scene streams. */
  protected streamSink(options: ReplyStreamOptions | undefined): ReplyStreamSink {
    return new OneMessageSink((text) => this.reply(fallbackText(text, options), options));
  }

  /** Sends to the chat this message came from. */
  protected abstract sendToChat(params: OpenMessageParams): Promise<OpenMessageResult | PendingAudit>;
}
