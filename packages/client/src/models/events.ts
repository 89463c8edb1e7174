import {
  InteractionAckCode,
  ValidationError,
  type FriendEvent as WireFriendEvent,
  type GroupRobotEvent as WireGroupRobotEvent,
  type Interaction as WireInteraction,
  type MessageDelete as WireMessageDelete,
  type OpenMessageResult,
  type PendingAudit,
  type ReadyData,
} from '@bot/http';
import { camelize, type Camelize } from './camelize.js';
import { toDate } from './content.js';
import { INSPECT, inspectModel } from './inspectModel.js';
import type { ModelBinding } from './ModelBinding.js';
import { sendOpenReply, type OpenReplyInput } from './OpenChatMessage.js';

/**
 * The session is established (`READY`). This is everything the platform's READY carries: the
 * protocol version, the session id, the bot's own user and the shard. Unlike some other
 * platforms, it lists **no guilds and no groups**: fetch the guilds with
 * `ctx.api.users.guilds()` (paged), and learn of groups and C2C users from their events
 * (`GROUP_ADD_ROBOT`, `FRIEND_ADD`, messages), as the platform offers no API that lists them.
 * A resumed session sends no READY: `resumed()` is called instead.
 */
export class Ready {
  /** Protocol version. */
  public readonly version: number;
  /** Session id; resuming uses it. */
  public readonly sessionId: string;
  /** The bot's own user. */
  public readonly user: { id: string; username: string; bot: boolean };
  /** `[shardId, shardCount]` of the session. */
  public readonly shard: readonly [number, number];

  /** @param data - the wire payload */
  public constructor(data: ReadyData) {
    this.version = data.version;
    this.sessionId = data.session_id;
    this.user = { id: data.user.id, username: data.user.username, bot: data.user.bot };
    this.shard = data.shard;
  }

  /** The shard this session runs, `shard[0]`. */
  public get shardId(): number {
    return this.shard[0];
  }

  /** The bot's shard count, `shard[1]`. */
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
    this.message = camelize(data.message);
    this.opUserId = data.op_user.id;
  }
}

/** Someone pressed a message button (`INTERACTION_CREATE`). Acknowledge it within a few seconds. */
export class Interaction {
  /** Interaction id. */
  public readonly id: string;
  /** The wire object. */
  public readonly raw: WireInteraction;
  readonly #binding: ModelBinding;
  #data: Readonly<Camelize<WireInteraction>> | undefined;

  /**
   * @param data - the wire payload
   * @param binding - API of the receiving client
   */
  public constructor(data: WireInteraction, binding: ModelBinding) {
    this.#binding = binding;
    this.id = data.id;
    this.raw = data;
  }

  /**
   * The interaction's fields, camel-cased (`chatType`, `groupOpenid`, `data.resolved.buttonData`,
   * …); copied on first read, as most handlers only need {@link Interaction.buttonData}.
   */
  public get data(): Readonly<Camelize<WireInteraction>> {
    return (this.#data ??= camelize(this.raw));
  }

  /** The fields this model surfaces, for logging and `JSON.stringify`. */
  public toJSON(): Record<string, unknown> {
    return { id: this.id, data: this.data };
  }

  /** What `console.log` shows: the class name and {@link Interaction.toJSON}. */
  public [INSPECT](_depth: number, options: object): string {
    return inspectModel(this, options);
  }

  /** The `button_data` of the pressed button, when present. */
  public get buttonData(): string | undefined {
    return this.raw.data?.resolved?.button_data;
  }

  /**
   * Tells the platform how the interaction went; the user sees the outcome.
   *
   * @param code - 0 success (default) … 5, see {@link InteractionAckCode}
   */
  public ack(code: InteractionAckCode = InteractionAckCode.Success): Promise<void> {
    return this.#binding.api.interactions.acknowledge(this.id, code);
  }
}

/** The bot was added to or removed from a group, or a group toggled its messages (`GROUP_*`). */
export class GroupRobotEvent {
  /** When it happened. */
  public readonly timestamp: Date | undefined;
  /** The group's openid. */
  public readonly groupOpenid: string;
  /** The member who did it. */
  public readonly opMemberOpenid: string;
  /** Id of the event; replies quote it as `event_id`. */
  public readonly eventId: string | undefined;
  readonly #binding: ModelBinding;

  /**
   * @param data - the wire payload
   * @param binding - API and reply numbering of the receiving client
   * @param eventId - id of the event
   */
  public constructor(data: WireGroupRobotEvent, binding: ModelBinding, eventId?: string) {
    this.#binding = binding;
    this.timestamp = toDate(data.timestamp);
    this.groupOpenid = data.group_openid;
    this.opMemberOpenid = data.op_member_openid;
    this.eventId = eventId;
  }

  /**
   * Sends a message to the group in answer to this event (for example a greeting when added).
   *
   * @param input - text, an `OpenMessageParams` builder, or a wire body
   * @throws {@link ValidationError} when the event arrived without an id to answer
   */
  public reply(input: OpenReplyInput): Promise<OpenMessageResult | PendingAudit> {
    const eventId = requireEventId(this.eventId);
    return sendOpenReply(this.#binding, eventId, 'event_id', input, (params) =>
      this.#binding.api.groups.send(this.groupOpenid, params),
    );
  }
}

/** A user added or removed the bot, or toggled its messages, in C2C (`FRIEND_*`, `C2C_MSG_*`). */
export class FriendEvent {
  /** When it happened. */
  public readonly timestamp: Date | undefined;
  /** The user's openid. */
  public readonly openid: string;
  /** Id of the event; replies quote it as `event_id`. */
  public readonly eventId: string | undefined;
  readonly #binding: ModelBinding;

  /**
   * @param data - the wire payload
   * @param binding - API and reply numbering of the receiving client
   * @param eventId - id of the event
   */
  public constructor(data: WireFriendEvent, binding: ModelBinding, eventId?: string) {
    this.#binding = binding;
    this.timestamp = toDate(data.timestamp);
    this.openid = data.openid;
    this.eventId = eventId;
  }

  /**
   * Sends a message to the user in answer to this event.
   *
   * @param input - text, an `OpenMessageParams` builder, or a wire body
   */
  public reply(input: OpenReplyInput): Promise<OpenMessageResult | PendingAudit> {
    const eventId = requireEventId(this.eventId);
    return sendOpenReply(this.#binding, eventId, 'event_id', input, (params) =>
      this.#binding.api.c2c.send(this.openid, params),
    );
  }
}

function requireEventId(eventId: string | undefined): string {
  if (eventId === undefined || eventId === '') {
    throw new ValidationError(
      'eventId',
      'is missing: the platform sent this event without an id, so it cannot be answered',
    );
  }
  return eventId;
}
