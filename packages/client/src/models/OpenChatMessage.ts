import type { OpenMessageBody, OpenMessageResult, OpenMessageAttachment } from '@bot/core';
import {
  ApiError,
  callSiteOf,
  OpenMessageParams,
  requestsFrom,
  ValidationError,
  type CallOptions,
  type CallSite,
  type MediaSource,
  type OpenMessageInput,
  type PendingAudit,
  type UploadedMedia,
  type UploadMediaOptions,
} from '@bot/http';
import { arrivalTime, steadyArrivalTime } from './arrivalTime.js';
import { stripMentions, toDate, unescapeContent } from './content.js';
import { INSPECT, inspectModel } from './inspectModel.js';
import type { ModelBinding } from './ModelBinding.js';
import type { ReplySequencer } from './ReplySequencer.js';
import { withoutBlankAddressing } from './reply/blankAddressing.js';
import { prepareThenReply } from './reply/prepareThenReply.js';
import { fallbackText } from './reply/fallbackText.js';
import { openCallerStream, pipeCallerStream } from './reply/callerStream.js';
import { replyPolicyOf, type ReplyOptions, type ReplyWindowPolicy } from './reply/replyRules.js';
import { ReplyStream } from './reply/ReplyStream.js';
import type { ReplyStreamOptions, ReplyStreamResult } from './reply/replyStreamOptions.js';
import { OneMessageSink, type ReplyStreamSink } from './reply/ReplyStreamSink.js';
import { ReplyWindow } from './reply/ReplyWindow.js';
import { replyWindowOpenedAt } from './reply/replyWindowOpening.js';
import { wireId, wireObjectList, wirePayload, wireText } from './wireShape.js';

/** What a group or C2C reply accepts: text, an {@link OpenMessageParams} builder, or a wire body. */
export type OpenReplyInput = string | OpenMessageInput;

/**
 * Options of a media reply ({@link OpenChatMessage.replyMedia}): the upload's (`fileType` is
 * required; `reuse`, `onProgress`, `signal`, `deadline`, …), the reply's window policy, and the
 * text sent with the media.
 */
export interface ReplyMediaOptions extends UploadMediaOptions, ReplyOptions {
  /** Text shown with the media; a single space (which the platform requires) when omitted. */
  content?: string | undefined;
}

/**
 * Replies to an inbound group/C2C message or event, numbering `msg_seq` per inbound id so several
 * replies to one message all succeed ({@link ReplySequencer.send} decides what a refused number
 * means).
 *
 * @param binding - API and reply numbering
 * @param scene - the chat the reply goes to, for the advice of a refusal
 * @param replyTo - the inbound message id (sent as `msg_id`) or event id (`event_id`)
 * @param as - which of the two the id is
 * @param input - what to send
 * @param send - the endpoint (group or C2C) bound to its target
 * @throws `ValidationError` when `input` sets `msg_seq`, or a `msg_id` or `event_id` other than
 *   the one the reply quotes: the reply owns them (see {@link refuseOwnAddressing}); one set to
 *   `null` or `''` (a JSON body's way to leave it unset) is left out
 */
export async function sendOpenReply(
  binding: ModelBinding,
  scene: 'group' | 'c2c',
  replyTo: string,
  as: 'msg_id' | 'event_id',
  input: OpenReplyInput,
  send: (params: OpenMessageParams) => Promise<OpenMessageResult | PendingAudit>,
): Promise<OpenMessageResult | PendingAudit> {
  let base =
    typeof input === 'string'
      ? OpenMessageParams.text(input)
      : input instanceof OpenMessageParams
        ? input
        : OpenMessageParams.from(input as OpenMessageBody);
  // Text carries no addressing; a builder or body may, and is checked before a number is taken.
  if (typeof input !== 'string') {
    const body = base.toBody();
    const cleared = withoutBlankAddressing(body, ['msg_id', 'event_id', 'msg_seq']);
    if (cleared !== undefined) base = OpenMessageParams.from(cleared);
    refuseOwnAddressing(cleared ?? body, scene, replyTo, as);
  }
  const addressed = as === 'msg_id' ? base.withReply(replyTo) : base.withEventId(replyTo);
  return binding.replies.send(replyTo, (msgSeq) => send(addressed.withMsgSeq(msgSeq)));
}

/**
 * Refuses a reply body that addresses itself. A reply quotes the id it answers and takes the next
 * `msg_seq` of that id: the numbering is what keeps two replies from colliding and a re-send from
 * posting twice, so a number of the caller's is refused rather than honoured, and so is another
 * target, which would be numbered and counted as a reply to this one. The id the reply quotes
 * anyway is accepted.
 *
 * @param body - the reply's body
 * @param scene - where it goes, to name the API that sends elsewhere
 * @param replyTo - the id the reply quotes
 * @param as - whether it quotes it as `msg_id` or `event_id`
 */
function refuseOwnAddressing(
  body: OpenMessageBody,
  scene: 'group' | 'c2c',
  replyTo: string,
  as: 'msg_id' | 'event_id',
): void {
  const api = scene === 'group' ? 'api.groups.send' : 'api.c2c.send';
  const instead = `leave it unset (the reply fills it in), or send with ${api} to address and number a message yourself`;
  for (const field of ['msg_id', 'event_id'] as const) {
    const value = body[field];
    if (value === undefined || (field === as && value === replyTo)) continue;
    throw new ValidationError(
      `input.${field}`,
      `is "${String(value)}", but this reply quotes ${as} "${replyTo}": ${instead}`,
    );
  }
  if (body.msg_seq !== undefined)
    throw new ValidationError(
      'input.msg_seq',
      `is ${String(body.msg_seq)}, but a reply takes the next msg_seq of ${as} "${replyTo}" itself, so that replies never repeat a number: ${instead}`,
    );
}

/** The upload's own options of a media reply's: its text and window policy are the reply's. */
export function uploadOptionsOf(options: ReplyMediaOptions): UploadMediaOptions {
  const { content: _content, replyWindow: _replyWindow, ...upload } = options;
  return upload;
}

/** The `signal` and `timeout` of a media reply, which cover its send as they cover its upload. */
export function sendOptionsOf(options: ReplyMediaOptions): CallOptions {
  const call: CallOptions = {};
  if (options.signal !== undefined) call.signal = options.signal;
  if (options.timeout !== undefined) call.timeout = options.timeout;
  return call;
}

/** The media message a media reply sends: the upload and the caller's text. */
export function mediaReply(media: UploadedMedia, options: ReplyMediaOptions): OpenMessageParams {
  return options.content === undefined
    ? OpenMessageParams.media(media)
    : OpenMessageParams.media(media, options.content);
}

/**
 * Uploads, then replies with the upload, as `reply()` would (see {@link prepareThenReply}: counted
 * from the start, given back when the upload fails, before a `msg_seq` is taken, checked again
 * before the send). A reused `file_info` whose send the platform refuses is forgotten (see
 * {@link refusesFile}), so the next reply uploads the bytes again.
 *
 * @param site - the public method's call site, for the failures of both steps
 * @param window - the window the reply is sent in
 * @param policy - whether a closed window is refused
 * @param upload - uploads to the chat the reply goes to
 * @param reply - sends the media message as a reply
 * @param forget - forgets a reused `file_info` the platform refused
 */
export function uploadThenReply<T>(
  site: CallSite,
  window: ReplyWindow,
  policy: ReplyWindowPolicy,
  upload: () => Promise<UploadedMedia>,
  reply: (media: UploadedMedia) => Promise<T>,
  forget: (fileInfo: string) => void,
): Promise<T> {
  return prepareThenReply(site, window, policy, upload, reply, (media, error) => {
    if (media.reused && refusesFile(error)) forget(media.file_info);
  });
}

/**
 * Whether a refused send may mean its `file_info` is no longer accepted. Any refusal counts, a
 * 4xx but 429 or a 2xx carrying the platform's error body: the platform's codes for a dropped
 * `file_info` are not documented as a closed list, and a wrong guess costs one upload again,
 * where keeping a refused one refuses every reply until its `ttl` (or forever, for a `ttl` of 0).
 */
function refusesFile(error: unknown): boolean {
  return error instanceof ApiError && error.status < 500 && error.status !== 429;
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
    // A plain field, not built on first read: its items are checked now (a loop only when there
    // are any), so no handler meets a `null` typed as an attachment.
    this.attachments = wireObjectList(data.attachments, 'd.attachments');
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
   * strips the bot's mention, and commands want `"hello"`. Line breaks and indentation stay (see
   * `stripMentions`).
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
        sendOpenReply(this.binding, this.replyScene, this.id, 'msg_id', input, (params) =>
          this.sendToChat(params),
        ),
      ),
    );
  }

  /**
   * Replies with an image, video, voice clip or file: uploads it to this chat (the group, or the
   * sender's C2C chat; see `api.groups.uploadMedia`: chunked when large, and a `file_info` of the
   * same bytes reused until a minute before its `ttl` runs out), then sends it as a reply, under
   * the same rules as {@link OpenChatMessage.reply}: it quotes this message's id as `msg_id`,
   * takes the next `msg_seq`, and counts as one of the message's replies.
   *
   * It counts in the window from the call: a closed window is refused before anything is
   * uploaded, and checked again once the upload is done. A failed upload rejects as it is, gives
   * its count back and takes no `msg_seq`. The `signal` and `timeout` cover the send as well as
   * the upload. A reused `file_info` the platform refuses (a 4xx other than 429) is forgotten:
   * the next media reply of the same bytes uploads them again.
   *
   * The other media replies (`Interaction`, `GroupRobotEvent`, `FriendEvent`) work the same way.
   *
   * ```ts
   * await message.replyMedia('./chart.png', { fileType: MediaFileType.Image, content: 'Today' });
   * ```
   *
   * @param source - a file path, bytes, a readable stream, or an `http(s)` `URL` the platform fetches
   * @param options - `fileType`, the upload's settings, `content` sent with it, window policy
   * @returns the sent message's id and time, or a {@link PendingAudit}
   * @throws `ReplyWindowClosedError` when the window is closed (unless ignored), before or after
   *   the upload
   * @throws `MediaTooLargeError` before any request, `MediaUploadError` when the upload fails
   *   (its `stage`, the platform's `code` and the `cause` say why, `mayHaveBeenSent` whether the
   *   platform may hold the file), or the signal's reason when aborted during the upload before
   *   any of it could reach the platform (or the timeout's error); no reply is sent then
   * @throws `AbortedAfterSendError` when the signal cuts off a request that had gone out. Its
   *   `route` tells which: the upload's (`…/files`, a part finish), and the file may be on the
   *   platform but no reply was sent; or the reply's (`…/messages`), and the reply may have been
   *   delivered
   * @throws `DuplicateSendError` as {@link OpenChatMessage.reply} does
   * @throws `ApiError` when the platform refuses the reply itself (a refused reused `file_info`
   *   is forgotten, so calling again uploads the bytes again)
   */
  public replyMedia(
    source: MediaSource,
    options: ReplyMediaOptions,
  ): Promise<OpenMessageResult | PendingAudit> {
    const site = callSiteOf(OpenChatMessage.prototype.replyMedia);
    return uploadThenReply(
      site,
      this.replyWindow,
      replyPolicyOf(options, this.binding.replyWindow),
      () => this.uploadToChat(source, uploadOptionsOf(options)),
      (media) =>
        sendOpenReply(
          this.binding,
          this.replyScene,
          this.id,
          'msg_id',
          mediaReply(media, options),
          (params) => this.sendToChat(params, sendOptionsOf(options)),
        ),
      (fileInfo) => this.forgetMedia(fileInfo),
    );
  }

  /** Where this message was received, and so where its replies go: a QQ group or a C2C chat. */
  public get scene(): 'group' | 'c2c' {
    return this.replyScene;
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

  /** Uploads media to the chat this message came from, to send there. */
  protected abstract uploadToChat(source: MediaSource, options: UploadMediaOptions): Promise<UploadedMedia>;

  /** Sends to the chat this message came from, under the caller's signal and timeout if any. */
  protected abstract sendToChat(
    params: OpenMessageParams,
    call?: CallOptions,
  ): Promise<OpenMessageResult | PendingAudit>;

  /** Forgets a `file_info` kept for reuse in this chat's kind, which the platform refused. */
  protected abstract forgetMedia(fileInfo: string): void;
}
