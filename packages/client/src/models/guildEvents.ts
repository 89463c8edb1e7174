/*
 * Guild events the platform lets a bot answer by `event_id` (docs/protocol.md §13): member,
 * reaction and forum events. Each model holds the camel-cased wire fields, like the snapshot models, plus
 * `reply()`.
 */
import type {
  DispatchEventName,
  EmojiType,
  GuildMemberEvent,
  Message as WireMessage,
  MessageReaction as WireMessageReaction,
  PendingAudit,
  PostInfo,
  ReactionTargetType,
  ReplyInfo,
  ThreadInfo,
  User as WireUser,
} from '@bot/http';
import { callSiteOf, requestsFrom } from '@bot/http';
import { arrivalTime, steadyArrivalTime } from './arrivalTime.js';
import { camelizeInto, prototypeNames, type Camelize } from './camelize.js';
import { answerInChannel, eventReplyWindow, type AnsweredEvent } from './eventReplies.js';
import { checkedForumEvent, checkedMember, checkedReaction, type ForumInfo } from './eventShapes.js';
import { camelizeMemberInto } from './memberFields.js';
import type { GuildReplyInput } from './Message.js';
import type { ModelBinding } from './ModelBinding.js';
import type { ReplyOptions } from './reply/replyRules.js';
import type { ReplyWindow } from './reply/ReplyWindow.js';
import { replyWindowOpenedAt } from './reply/replyWindowOpening.js';

/**
 * The base of the guild events a bot may answer by `event_id`: the event's name, id and answer
 * window beside its camel-cased wire fields (kept private, so they are not enumerated with them).
 */
export abstract class GuildEventModel implements AnsweredEvent {
  readonly #binding: ModelBinding;
  readonly #event: DispatchEventName;
  readonly #eventId: string | undefined;
  /**
   * When the event arrived, on the wall and the steady clock: its answer window opens then or at
   * {@link GuildEventModel.#stamp}, and is judged on both clocks.
   */
  readonly #receivedAt: number;
  readonly #steadyReceivedAt: number;
  /** The time the payload says the event happened, parsed only if the answer window is asked for. */
  readonly #stamp: string | undefined;
  #replyWindow: ReplyWindow | undefined;

  /**
   * @param data - the wire payload, copied camel-cased onto the model
   * @param binding - API of the receiving client
   * @param event - the dispatch event name
   * @param eventId - id of the gateway event
   * @param copyFields - internal: copies the wire fields onto the model camel-cased, leaving off
   *   the names its prototype chain defines. `camelizeInto`, or one made for the payload's shape
   *   that writes exactly the same keys, in the same order, with the same values.
   */
  protected constructor(
    data: object,
    binding: ModelBinding,
    event: DispatchEventName,
    eventId?: string,
    copyFields: (target: object, source: object, skipped: ReadonlySet<string>) => object = camelizeInto,
  ) {
    // A wire field named like an accessor (`event_id`) or a method (`reply`) would break them.
    copyFields(this, data, prototypeNames(new.target.prototype as object));
    this.#binding = binding;
    this.#event = event;
    this.#eventId = eventId;
    this.#receivedAt = arrivalTime();
    this.#steadyReceivedAt = steadyArrivalTime();
    this.#stamp = eventStamp(event, data);
  }

  /** The dispatch event name. */
  public get event(): DispatchEventName {
    return this.#event;
  }

  /** Id of the gateway event; answers quote it as `event_id`. */
  public get eventId(): string | undefined {
    return this.#eventId;
  }

  /**
   * The answer window: 5 minutes (docs/protocol.md §13) from when the event happened, as far as
   * the payload tells (`joined_at` of a joining member, `date_time` of a created forum
   * item), else from when the client received it.
   */
  public get replyWindow(): ReplyWindow | undefined {
    if (this.#replyWindow === undefined) {
      // Opened at the event's stamp, or its arrival (docs/protocol.md §15.2).
      const openedAt = replyWindowOpenedAt(this.#receivedAt, this.#stamp);
      const arrival = { wall: this.#receivedAt, steady: this.#steadyReceivedAt };
      this.#replyWindow = eventReplyWindow(this.#event, 'guild', this.#eventId, openedAt, arrival);
    }
    return this.#replyWindow;
  }

  /** Answers the event in `channelId`, quoting its id (see `answerInChannel`). */
  protected answer(
    channelId: string,
    input: GuildReplyInput,
    options: ReplyOptions | undefined,
  ): Promise<WireMessage | PendingAudit> {
    return answerInChannel(this.#binding, this, channelId, input, options);
  }
}

/** Where a guild event's payload says when the event itself happened. */
const STAMP_FIELDS: Partial<Record<DispatchEventName, readonly string[]>> = {
  // A member's `joined_at` is the event's time only when the event is the joining.
  GUILD_MEMBER_ADD: ['joined_at'],
  FORUM_THREAD_CREATE: ['thread_info', 'date_time'],
  FORUM_POST_CREATE: ['post_info', 'date_time'],
  FORUM_REPLY_CREATE: ['reply_info', 'date_time'],
};

/**
 * The time a guild event happened, when its payload states it: `joined_at` of a member who joins,
 * `date_time` of a created thread, post or reply. Updates, removals and reactions carry no stamp
 * of the event itself, so their windows open when they are received.
 *
 * @param event - the dispatch event name
 * @param data - the wire payload
 */
export function eventStamp(event: DispatchEventName, data: object): string | undefined {
  const path = STAMP_FIELDS[event];
  if (path === undefined) return undefined;
  let value: unknown = data;
  for (const key of path) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return typeof value === 'string' ? value : undefined;
}

/**
 * A member event's payload as the model lets it through: the user's name is typed when present
 * but not required (docs/protocol.md §16.2), so a member event naming only the user's id is still
 * delivered.
 */
export interface MemberPayload extends Omit<GuildMemberEvent, 'user'> {
  /** The user behind the membership. */
  user: MemberUser;
}

/** The user of a {@link MemberPayload}. */
export interface MemberUser extends Omit<WireUser, 'username'> {
  /** Display name, when the payload carries it. */
  username?: string;
}

/** The wire fields of a {@link Member}, camel-cased. */
export interface Member extends Readonly<Camelize<MemberPayload>> {}

/** A guild member (`GUILD_MEMBER_ADD`, `GUILD_MEMBER_UPDATE`, `GUILD_MEMBER_REMOVE`). */
export class Member extends GuildEventModel {
  /**
   * @param data - the wire payload
   * @param binding - API of the receiving client
   * @param event - which of the three events it is (`GUILD_MEMBER_ADD` by default)
   * @param eventId - id of the gateway event
   * @throws `ValidationError` naming the field when the payload lacks its guild or user, or holds
   *   a field of another type (docs/protocol.md §16.2); the client reports it as a MalformedEventError
   */
  public constructor(
    data: MemberPayload,
    binding: ModelBinding,
    event: DispatchEventName = 'GUILD_MEMBER_ADD',
    eventId?: string,
  ) {
    super(checkedMember(data), binding, event, eventId, camelizeMemberInto);
  }

  /**
   * Answers the event in a text channel of the guild, quoting it as `event_id` (a welcome
   * message, say): member events name no channel, so pass one.
   *
   * @param channelId - a text channel of this guild
   * @param input - text, a `MessageParams` builder, or a wire body
   * @param options - `replyWindow: 'ignore'` sends even after the 5-minute window
   * @throws {@link EventReplyError} when the event carried no id
   * @throws `ReplyWindowClosedError` once the 5-minute window has passed
   */
  public reply(
    channelId: string,
    input: GuildReplyInput,
    options?: ReplyOptions,
  ): Promise<WireMessage | PendingAudit> {
    // A failure shows the caller's line, not the reply's framework frames.
    return requestsFrom(callSiteOf(Member.prototype.reply), () => this.answer(channelId, input, options));
  }
}

/**
 * A reaction's payload as the model lets it through: the channel its answer goes to and the user
 * are required; the guild, the target and the emoji are typed when present but not required
 * (docs/protocol.md §16.2), and their kinds may be numbers or numeric strings, listed or not.
 */
export interface MessageReactionPayload extends Omit<WireMessageReaction, 'guild_id' | 'target' | 'emoji'> {
  /** Guild id. */
  guild_id?: string;
  /** What was reacted to. */
  target?: ReactionTargetPayload;
  /** The emoji. */
  emoji?: EmojiPayload;
}

/** `target` of a {@link MessageReactionPayload}. */
export interface ReactionTargetPayload {
  /** Target id. */
  id?: string;
  /** Target kind ({@link ReactionTargetType}); seen both as a number and as a numeric string. */
  type?: number | string;
}

/** `emoji` of a {@link MessageReactionPayload}. */
export interface EmojiPayload {
  /** Emoji id. */
  id?: string;
  /** Emoji kind ({@link EmojiType}: 1 a system emoji, 2 a Unicode one), a number or a numeric string. */
  type?: number | string;
}

/** The wire fields of a {@link MessageReaction}, camel-cased. */
export interface MessageReaction extends Readonly<Camelize<MessageReactionPayload>> {}

/** An emoji reaction added or removed (`MESSAGE_REACTION_ADD`, `MESSAGE_REACTION_REMOVE`). */
export class MessageReaction extends GuildEventModel {
  /**
   * @param data - the wire payload
   * @param binding - API of the receiving client
   * @param event - which of the two events it is (`MESSAGE_REACTION_ADD` by default)
   * @param eventId - id of the gateway event
   * @throws `ValidationError` naming the field when the payload lacks its channel or user, or holds
   *   a field of another type (docs/protocol.md §16.2); the client reports it as a MalformedEventError
   */
  public constructor(
    data: MessageReactionPayload,
    binding: ModelBinding,
    event: DispatchEventName = 'MESSAGE_REACTION_ADD',
    eventId?: string,
  ) {
    super(checkedReaction(data), binding, event, eventId);
  }

  /**
   * Answers the reaction in the channel it happened in, quoting it as `event_id`.
   *
   * @param input - text, a `MessageParams` builder, or a wire body
   * @param options - `replyWindow: 'ignore'` sends even after the 5-minute window
   * @throws {@link EventReplyError} when the event carried no id
   * @throws `ReplyWindowClosedError` once the 5-minute window has passed
   */
  public reply(input: GuildReplyInput, options?: ReplyOptions): Promise<WireMessage | PendingAudit> {
    return requestsFrom(callSiteOf(MessageReaction.prototype.reply), () =>
      this.answer(this.channelId, input, options),
    );
  }
}

/**
 * Answers a forum event in a text channel the caller names: the documentation lists forum events
 * as answerable but does not say where the answer may go (docs/protocol.md §13, unverified).
 */
export abstract class ForumEventModel extends GuildEventModel {
  /**
   * Answers the event in a text channel of the guild, quoting it as `event_id`.
   *
   * @param channelId - a text channel of this guild
   * @param input - text, a `MessageParams` builder, or a wire body
   * @param options - `replyWindow: 'ignore'` sends even after the 5-minute window
   * @throws {@link EventReplyError} when the event carried no id
   * @throws `ReplyWindowClosedError` once the 5-minute window has passed
   */
  public reply(
    channelId: string,
    input: GuildReplyInput,
    options?: ReplyOptions,
  ): Promise<WireMessage | PendingAudit> {
    return requestsFrom(callSiteOf(ForumEventModel.prototype.reply), () =>
      this.answer(channelId, input, options),
    );
  }
}

/** The constructor every forum event model shares: the wire payload, then which event it is. */
type ForumEventConstructor<W extends object> = new (
  data: W,
  binding: ModelBinding,
  event?: DispatchEventName,
  eventId?: string,
) => ForumEventModel;

/**
 * The base of one forum event model: its payload type, the event it stands for when the caller
 * names none (the creation), and the nested object its payload carries.
 *
 * @param defaultEvent - the event assumed when the constructor is given none
 * @param info - the nested object (`thread_info`, …), checked with the payload when built
 */
function forumEventOf<W extends ForumThreadPayload | ForumPostPayload | ForumReplyPayload>(
  defaultEvent: DispatchEventName,
  info: ForumInfo,
): ForumEventConstructor<W> {
  return class extends ForumEventModel {
    public constructor(
      data: W,
      binding: ModelBinding,
      event: DispatchEventName = defaultEvent,
      eventId?: string,
    ) {
      super(checkedForumEvent(data, info), binding, event, eventId);
    }
  };
}

/**
 * Where a forum event happened and who did it, as its model lets them through: required, strings
 * or numbers, as the documentation's own examples give both (docs/protocol.md §16.1).
 */
export interface ForumEventIds {
  /** Guild id. */
  guild_id: string | number;
  /** Channel id. */
  channel_id: string | number;
  /** Author's user id. */
  author_id: string | number;
}

/** A `FORUM_THREAD_*` payload as its model lets it through: the thread is typed when present. */
export interface ForumThreadPayload extends ForumEventIds {
  /** The thread itself. */
  thread_info?: Partial<ThreadInfo>;
}

/** A `FORUM_POST_*` payload as its model lets it through: the post is typed when present. */
export interface ForumPostPayload extends ForumEventIds {
  /** The post. */
  post_info?: Partial<PostInfo>;
}

/** A `FORUM_REPLY_*` payload as its model lets it through: the reply is typed when present. */
export interface ForumReplyPayload extends ForumEventIds {
  /** The reply. */
  reply_info?: Partial<ReplyInfo>;
}

/** The wire fields of a {@link ForumThread}, camel-cased. */
export interface ForumThread extends Readonly<Camelize<ForumThreadPayload>> {}

/**
 * A forum thread event (`FORUM_THREAD_CREATE/UPDATE/DELETE`); constructed from the wire payload,
 * the client's binding, the event (`FORUM_THREAD_CREATE` by default) and the gateway event id.
 */
export class ForumThread extends forumEventOf<ForumThreadPayload>('FORUM_THREAD_CREATE', {
  key: 'thread_info',
  ids: [],
}) {}

/** The wire fields of a {@link ForumPost}, camel-cased. */
export interface ForumPost extends Readonly<Camelize<ForumPostPayload>> {}

/**
 * A forum post event (`FORUM_POST_CREATE/DELETE`); constructed like {@link ForumThread}, the event
 * being `FORUM_POST_CREATE` by default.
 */
export class ForumPost extends forumEventOf<ForumPostPayload>('FORUM_POST_CREATE', {
  key: 'post_info',
  ids: ['post_id'],
}) {}

/** The wire fields of a {@link ForumReply}, camel-cased. */
export interface ForumReply extends Readonly<Camelize<ForumReplyPayload>> {}

/**
 * A forum reply event (`FORUM_REPLY_CREATE/DELETE`); constructed like {@link ForumThread}, the event
 * being `FORUM_REPLY_CREATE` by default.
 */
export class ForumReply extends forumEventOf<ForumReplyPayload>('FORUM_REPLY_CREATE', {
  key: 'reply_info',
  ids: ['post_id', 'reply_id'],
}) {}
