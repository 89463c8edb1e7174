import type {
  CallSite,
  MediaSource,
  DispatchEventName,
  FriendEvent as WireFriendEvent,
  GroupRobotEvent as WireGroupRobotEvent,
  MessageDelete as WireMessageDelete,
  OpenMessageResult,
  PendingAudit,
  ReadyData,
} from '@bot/http';
import { callSiteOf, requestsFrom } from '@bot/http';
import { arrivalTime, steadyArrivalTime } from './arrivalTime.js';
import { camelize, type Camelize } from './camelize.js';
import { toDate } from './content.js';
import { INSPECT, inspectModel } from './inspectModel.js';
import type { ModelBinding } from './ModelBinding.js';
import {
  answerInOpenChat,
  answerWithMediaInOpenChat,
  eventReplyWindow,
  type AnsweredEvent,
} from './eventReplies.js';
import {
  checkedFriendEvent,
  checkedGroupRobotEvent,
  checkedMessageDelete,
  checkedReady,
} from './eventShapes.js';
import type { OpenChatMessage, OpenReplyInput, ReplyMediaOptions } from './OpenChatMessage.js';
import type { ReplyOptions } from './reply/replyRules.js';
import type { ReplyWindow } from './reply/ReplyWindow.js';
import { replyWindowOpenedAt } from './reply/replyWindowOpening.js';
import { isIntegerPair, presentOrUndefined } from './wireShape.js';

/** A READY's shard when it names none: the `id` and `total` of `ctx.shard` without a shard. */
const NO_SHARD: readonly [number, number] = Object.freeze([-1, 0] as const);

/**
 * The session is established (`READY`). This is everything the platform's READY carries: the
 * protocol version, the session id, the bot's own user and the shard. Unlike some other
 * platforms, it lists **no guilds and no groups**: fetch the guilds with
 * `ctx.api.users.guilds()` (paged), and learn of groups and C2C users from their events
 * (`GROUP_ADD_ROBOT`, `FRIEND_ADD`, messages), as the platform offers no API that lists them.
 * A resumed session sends no READY: `resumed()` is called instead.
 */
export class Ready {
  /** Protocol version; `undefined` when the READY leaves it out. */
  public readonly version: number | undefined;
  /** Session id; resuming uses it. */
  public readonly sessionId: string;
  /**
   * The bot's own user: its id always, its name and `bot` flag when the READY carries them (the
   * platform documents READY by one example, no field list: docs/protocol.md §3.4).
   */
  public readonly user: { id: string; username: string | undefined; bot: boolean | undefined };
  /**
   * `[shardId, shardCount]` of the session; `[-1, 0]` when the READY names no shard (as
   * `ctx.shard` names none for a webhook delivery): the platform documents the field, but what it
   * holds is unverified (docs/protocol.md §3.4), and the gateway accepts a READY without it.
   */
  public readonly shard: readonly [number, number];

  /** @param data - the wire payload */
  public constructor(data: ReadyData) {
    checkedReady(data);
    // `null` reads as absent (docs/protocol.md §16), as the types say, and so does a value of
    // another type, which checkedReady has told as a warning.
    this.version = presentOrUndefined(data.version, 'integer') as number | undefined;
    this.sessionId = data.session_id;
    const { id, username, bot } = data.user;
    this.user = {
      id,
      username: presentOrUndefined(username, 'text') as string | undefined,
      bot: presentOrUndefined(bot, 'boolean') as boolean | undefined,
    };
    this.shard = isIntegerPair(data.shard) ? data.shard : NO_SHARD;
  }

  /** The shard this session runs, `shard[0]` (-1 when the READY names none). */
  public get shardId(): number {
    return this.shard[0];
  }

  /** The bot's shard count, `shard[1]` (0 when the READY names none). */
  public get shardCount(): number {
    return this.shard[1];
  }

  /** The fields READY carries, for logging and `JSON.stringify`. */
  public toJSON(): Record<string, unknown> {
    return { version: this.version, sessionId: this.sessionId, user: this.user, shard: this.shard };
  }

  /** What `console.log` shows: the class name and {@link Ready.toJSON}. */
  public [INSPECT](_depth: number, options: object): string {
    return inspectModel(this, options);
  }
}

/** A message was recalled (`MESSAGE_DELETE`, `PUBLIC_MESSAGE_DELETE`, `DIRECT_MESSAGE_DELETE`). */
export class MessageDelete {
  /** What is known of the removed message (its id, channel, guild, author). */
  public readonly message: Readonly<Camelize<WireMessageDelete['message']>>;
  /** Who removed it. */
  public readonly opUserId: string;

  /** @param data - the wire payload */
  public constructor(data: WireMessageDelete) {
    checkedMessageDelete(data);
    this.message = camelize(data.message);
    this.opUserId = data.op_user.id;
  }
}

/**
 * The base of the group and C2C events a bot may answer by `event_id` (docs/protocol.md §13): the
 * event's name, id, time and answer window. Each subclass names whom an answer goes to.
 */
export abstract class OpenChatEventModel implements AnsweredEvent {
  /** When it happened. */
  public readonly timestamp: Date | undefined;
  /** Id of the event; replies quote it as `event_id`. */
  public readonly eventId: string | undefined;
  /** Which event it is (`GROUP_ADD_ROBOT`, `FRIEND_ADD`, …): only some can be answered. */
  public readonly event: DispatchEventName;
  readonly #binding: ModelBinding;
  readonly #scene: 'group' | 'c2c';
  /** When the answer window opened: the event's stamp, or its arrival (docs/protocol.md §15.2). */
  readonly #openedAt: number;
  /** When the event arrived, on the wall and the steady clock: its window is judged on both. */
  readonly #receivedAt: number;
  readonly #steadyReceivedAt: number;
  #replyWindow: ReplyWindow | undefined;

  /**
   * @param scene - where answers go: a group, or a user in C2C
   * @param timestamp - when the payload says the event happened (Unix seconds)
   * @param binding - API and reply numbering of the receiving client
   * @param event - the dispatch event name
   * @param eventId - id of the event
   */
  protected constructor(
    scene: 'group' | 'c2c',
    timestamp: number | undefined,
    binding: ModelBinding,
    event: DispatchEventName,
    eventId: string | undefined,
  ) {
    this.timestamp = toDate(timestamp);
    this.eventId = eventId;
    this.event = event;
    this.#binding = binding;
    this.#scene = scene;
    this.#receivedAt = arrivalTime();
    this.#steadyReceivedAt = steadyArrivalTime();
    this.#openedAt = replyWindowOpenedAt(this.#receivedAt, timestamp);
  }

  /**
   * The answer window from when the event happened (groups: 5 min, C2C: 60 min; 5 answers each);
   * `undefined` for the events that cannot be answered.
   */
  public get replyWindow(): ReplyWindow | undefined {
    return (this.#replyWindow ??= eventReplyWindow(this.event, this.#scene, this.eventId, this.#openedAt, {
      wall: this.#receivedAt,
      steady: this.#steadyReceivedAt,
    }));
  }

  /** Answers the event in the group or C2C chat `openid`, quoting its id (see `answerInOpenChat`). */
  protected answer(
    openid: string,
    input: OpenReplyInput,
    options: ReplyOptions | undefined,
  ): Promise<OpenMessageResult | PendingAudit> {
    return answerInOpenChat(this.#binding, this, this.#scene, openid, input, options);
  }

  /**
   * Answers the event with media in the group or C2C chat `openid`: uploads it there, then sends it
   * quoting the event's id (see `answerWithMediaInOpenChat`).
   */
  protected answerWithMedia(
    openid: string,
    source: MediaSource,
    options: ReplyMediaOptions,
    site: CallSite,
  ): Promise<OpenMessageResult | PendingAudit> {
    return answerWithMediaInOpenChat(this.#binding, this, this.#scene, openid, source, options, site);
  }
}

/** The bot was added to or removed from a group, or a group toggled its messages (`GROUP_*`). */
export class GroupRobotEvent extends OpenChatEventModel {
  /** The group's openid. */
  public readonly groupOpenid: string;
  /** The member who did it. */
  public readonly opMemberOpenid: string;

  /**
   * @param data - the wire payload
   * @param binding - API and reply numbering of the receiving client
   * @param eventId - id of the event
   * @param event - which of the four events it is (`GROUP_ADD_ROBOT` by default)
   * @throws `ValidationError` naming `d.group_openid` or `d.op_member_openid` when missing
   */
  public constructor(
    data: WireGroupRobotEvent,
    binding: ModelBinding,
    eventId?: string,
    event: DispatchEventName = 'GROUP_ADD_ROBOT',
  ) {
    super('group', checkedGroupRobotEvent(data).timestamp, binding, event, eventId);
    this.groupOpenid = data.group_openid;
    this.opMemberOpenid = data.op_member_openid;
  }

  /**
   * Sends a message to the group in answer to this event (a greeting when added, say), quoting it
   * as `event_id`. The platform accepts answers to `GROUP_ADD_ROBOT` and `GROUP_MSG_RECEIVE` only,
   * within 5 minutes (docs/protocol.md §13).
   *
   * @param input - text, an `OpenMessageParams` builder, or a wire body
   * @param options - `replyWindow: 'ignore'` sends even after the window
   * @throws {@link EventReplyError} for another event or an event without id
   * @throws `ReplyWindowClosedError` after the window or its 5 answers
   */
  public reply(input: OpenReplyInput, options?: ReplyOptions): Promise<OpenMessageResult | PendingAudit> {
    // A failure shows the caller's line, not the reply's framework frames.
    return requestsFrom(callSiteOf(GroupRobotEvent.prototype.reply), () =>
      this.answer(this.groupOpenid, input, options),
    );
  }

  /**
   * Answers this event with an image, video, voice clip or file: uploads it to the group, then
   * sends it as {@link GroupRobotEvent.reply} does (`event_id`, the next `msg_seq`, one of the 5 answers).
   * The window, `signal`, `timeout` and reuse work as in {@link OpenChatMessage.replyMedia}.
   *
   * @param source - a file path, bytes, a readable stream, or an `http(s)` `URL` the platform fetches
   * @param options - `fileType`, the upload's settings, `content` sent with it, window policy
   * @throws {@link EventReplyError} for an event that cannot be answered or has no id
   * @throws `ReplyWindowClosedError` after the window or its 5 answers
   * @throws `MediaTooLargeError`, `MediaUploadError`, the signal's reason, `AbortedAfterSendError`,
   *   `DuplicateSendError` or `ApiError`, as {@link OpenChatMessage.replyMedia} says
   */
  public replyMedia(
    source: MediaSource,
    options: ReplyMediaOptions,
  ): Promise<OpenMessageResult | PendingAudit> {
    return this.answerWithMedia(
      this.groupOpenid,
      source,
      options,
      callSiteOf(GroupRobotEvent.prototype.replyMedia),
    );
  }
}

/** A user added or removed the bot, or toggled its messages, in C2C (`FRIEND_*`, `C2C_MSG_*`). */
export class FriendEvent extends OpenChatEventModel {
  /** The user's openid. */
  public readonly openid: string;

  /**
   * @param data - the wire payload
   * @param binding - API and reply numbering of the receiving client
   * @param eventId - id of the event
   * @param event - which of the four events it is (`FRIEND_ADD` by default)
   * @throws `ValidationError` naming `d.openid` when missing
   */
  public constructor(
    data: WireFriendEvent,
    binding: ModelBinding,
    eventId?: string,
    event: DispatchEventName = 'FRIEND_ADD',
  ) {
    super('c2c', checkedFriendEvent(data).timestamp, binding, event, eventId);
    this.openid = data.openid;
  }

  /**
   * Sends a message to the user in answer to this event, quoting it as `event_id`. The platform
   * accepts answers to `FRIEND_ADD` and `C2C_MSG_RECEIVE` only, within 60 minutes
   * (docs/protocol.md §13).
   *
   * @param input - text, an `OpenMessageParams` builder, or a wire body
   * @param options - `replyWindow: 'ignore'` sends even after the window
   * @throws {@link EventReplyError} for another event or an event without id
   * @throws `ReplyWindowClosedError` after the window or its 5 answers
   */
  public reply(input: OpenReplyInput, options?: ReplyOptions): Promise<OpenMessageResult | PendingAudit> {
    return requestsFrom(callSiteOf(FriendEvent.prototype.reply), () =>
      this.answer(this.openid, input, options),
    );
  }

  /**
   * Answers this event with an image, video, voice clip or file: uploads it to the user's C2C chat, then
   * sends it as {@link FriendEvent.reply} does (`event_id`, the next `msg_seq`, one of the 5 answers).
   * The window, `signal`, `timeout` and reuse work as in {@link OpenChatMessage.replyMedia}.
   *
   * @param source - a file path, bytes, a readable stream, or an `http(s)` `URL` the platform fetches
   * @param options - `fileType`, the upload's settings, `content` sent with it, window policy
   * @throws {@link EventReplyError} for an event that cannot be answered or has no id
   * @throws `ReplyWindowClosedError` after the window or its 5 answers
   * @throws `MediaTooLargeError`, `MediaUploadError`, the signal's reason, `AbortedAfterSendError`,
   *   `DuplicateSendError` or `ApiError`, as {@link OpenChatMessage.replyMedia} says
   */
  public replyMedia(
    source: MediaSource,
    options: ReplyMediaOptions,
  ): Promise<OpenMessageResult | PendingAudit> {
    return this.answerWithMedia(this.openid, source, options, callSiteOf(FriendEvent.prototype.replyMedia));
  }
}
