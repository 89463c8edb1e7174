import type { EventRouting, PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import { registerAnswerable } from './answerableEvents.js';
import type {
  C2CMessage,
  Guild,
  FriendEvent,
  GroupAtMessage,
  GroupRobotEvent,
  Interaction,
  Member,
  Message,
  MessageAudited,
  MessageDelete,
  MessageReaction,
} from '../protocol/wire.js';
import * as lifecycle from './guildLifecycle.js';
import * as members from './guildMembers.js';
import * as messages from './guildMessages.js';
import { auditResult } from './messageAudit.js';
import { messageDelete, type MessageDeleteOptions } from './messageDelete.js';
import * as reactions from './messageReactions.js';
import * as open from './openEvents.js';
import type { SimulationContext } from './SimulationContext.js';
import * as voiceChannels from './voiceChannels.js';

/**
 * Simulated users: each method changes the world the way the action would and publishes the
 * event the platform sends for it, returning `{id, t, d}` as delivered. Messages become
 * reply targets (`msg_id`), and events the platform allows replies to become `event_id`s.
 * Bad requests (unknown group, a user who is not a member) throw {@link EmulatorError}.
 */
export class Simulator {
  readonly #ctx: SimulationContext;

  /** @param context world, ids, event bus and reply rules */
  constructor(context: SimulationContext) {
    this.#ctx = context;
  }

  /** A user @-mentions the bot in a guild channel (AT_MESSAGE_CREATE). */
  guildAtMessage(options: messages.GuildMessageOptions): PublishedEvent<Message> {
    return messages.guildAtMessage(this.#ctx, options);
  }

  /** A user writes in a guild channel (MESSAGE_CREATE, private-domain bots). */
  guildMessage(options: messages.GuildMessageOptions): PublishedEvent<Message> {
    return messages.guildMessage(this.#ctx, options);
  }

  /** A user writes to the bot in a guild DM (DIRECT_MESSAGE_CREATE). */
  directMessage(options: messages.DirectMessageOptions): PublishedEvent<Message> {
    return messages.directMessage(this.#ctx, options);
  }

  /** A group member @-mentions the bot (GROUP_AT_MESSAGE_CREATE). */
  groupAtMessage(options: open.GroupMessageOptions): PublishedEvent<GroupAtMessage> {
    return open.groupAtMessage(this.#ctx, options);
  }

  /** A user writes to the bot one-to-one (C2C_MESSAGE_CREATE). */
  c2cMessage(options: open.C2CMessageOptions): PublishedEvent<C2CMessage> {
    return open.c2cMessage(this.#ctx, options);
  }

  /** A user clicks a message button (INTERACTION_CREATE). */
  interaction(options: open.InteractionOptions): PublishedEvent<Interaction> {
    return open.interaction(this.#ctx, options);
  }

  /** A user joins a guild (GUILD_MEMBER_ADD). */
  memberJoin(options?: members.MemberChangeOptions): PublishedEvent<Member> {
    return members.memberJoin(this.#ctx, options);
  }

  /** A user leaves a guild (GUILD_MEMBER_REMOVE). */
  memberLeave(options: members.MemberChangeOptions & { userId: string }): PublishedEvent<Member> {
    return members.memberLeave(this.#ctx, options);
  }

  /** A member's nickname or roles change (GUILD_MEMBER_UPDATE). */
  memberUpdate(options: members.MemberUpdateOptions): PublishedEvent<Member> {
    return members.memberUpdate(this.#ctx, options);
  }

  /** The bot is added to a new guild with a "general" channel (GUILD_CREATE). */
  guildCreate(options?: lifecycle.GuildCreateOptions): PublishedEvent<Guild> {
    return lifecycle.guildCreate(this.#ctx, options);
  }

  /** A guild's name or description changes (GUILD_UPDATE). */
  guildUpdate(options?: lifecycle.GuildUpdateOptions): PublishedEvent<Guild> {
    return lifecycle.guildUpdate(this.#ctx, options);
  }

  /** The bot leaves a guild, which the world then forgets (GUILD_DELETE). */
  guildDelete(options: lifecycle.GuildDeleteOptions): PublishedEvent<Guild> {
    return lifecycle.guildDelete(this.#ctx, options);
  }

  /**
   * A guild or DM message is recalled (MESSAGE_DELETE; PUBLIC_MESSAGE_DELETE when it @-mentioned
   * the bot; DIRECT_MESSAGE_DELETE in a DM).
   */
  messageDelete(options: MessageDeleteOptions): PublishedEvent<MessageDelete> {
    return messageDelete(this.#ctx, options);
  }

  /** A user adds an emoji reaction (MESSAGE_REACTION_ADD). */
  reactionAdd(options: reactions.ReactionOptions): PublishedEvent<MessageReaction> {
    return reactions.reaction(this.#ctx, true, options);
  }

  /** A user removes an emoji reaction (MESSAGE_REACTION_REMOVE). */
  reactionRemove(options: reactions.ReactionOptions): PublishedEvent<MessageReaction> {
    return reactions.reaction(this.#ctx, false, options);
  }

  /** A user enters a voice or live channel (AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER). */
  voiceEnter(options: voiceChannels.VoiceOptions): PublishedEvent<unknown> {
    return voiceChannels.voice(this.#ctx, true, options);
  }

  /** A user leaves a voice or live channel (AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT). */
  voiceExit(options: voiceChannels.VoiceOptions): PublishedEvent<unknown> {
    return voiceChannels.voice(this.#ctx, false, options);
  }

  /** A member adds the bot to a group (GROUP_ADD_ROBOT); an unknown openid creates the group. */
  groupAddRobot(options?: open.GroupActionOptions): PublishedEvent<GroupRobotEvent> {
    return open.groupAction(this.#ctx, 'GROUP_ADD_ROBOT', options);
  }

  /** A member removes the bot from a group (GROUP_DEL_ROBOT). */
  groupDelRobot(options?: open.GroupActionOptions): PublishedEvent<GroupRobotEvent> {
    return open.groupAction(this.#ctx, 'GROUP_DEL_ROBOT', options);
  }

  /** A group turns the bot's proactive messages off (GROUP_MSG_REJECT). */
  groupMsgReject(options?: open.GroupActionOptions): PublishedEvent<GroupRobotEvent> {
    return open.groupAction(this.#ctx, 'GROUP_MSG_REJECT', options);
  }

  /** A group turns the bot's proactive messages on (GROUP_MSG_RECEIVE). */
  groupMsgReceive(options?: open.GroupActionOptions): PublishedEvent<GroupRobotEvent> {
    return open.groupAction(this.#ctx, 'GROUP_MSG_RECEIVE', options);
  }

  /** A user adds the bot as a friend (FRIEND_ADD); an unknown openid creates the user. */
  friendAdd(options?: open.UserActionOptions): PublishedEvent<FriendEvent> {
    return open.userAction(this.#ctx, 'FRIEND_ADD', options);
  }

  /** A user removes the bot (FRIEND_DEL). */
  friendDel(options?: open.UserActionOptions): PublishedEvent<FriendEvent> {
    return open.userAction(this.#ctx, 'FRIEND_DEL', options);
  }

  /** A user turns the bot's proactive messages off (C2C_MSG_REJECT). */
  c2cMsgReject(options?: open.UserActionOptions): PublishedEvent<FriendEvent> {
    return open.userAction(this.#ctx, 'C2C_MSG_REJECT', options);
  }

  /** A user turns the bot's proactive messages on (C2C_MSG_RECEIVE). */
  c2cMsgReceive(options?: open.UserActionOptions): PublishedEvent<FriendEvent> {
    return open.userAction(this.#ctx, 'C2C_MSG_RECEIVE', options);
  }

  /** The audit of a held send passes (MESSAGE_AUDIT_PASS); the message is created. */
  auditPass(auditId: string): PublishedEvent<MessageAudited> {
    return auditResult(this.#ctx, true, auditId);
  }

  /** The audit of a held send fails (MESSAGE_AUDIT_REJECT). */
  auditReject(auditId: string): PublishedEvent<MessageAudited> {
    return auditResult(this.#ctx, false, auditId);
  }

  /**
   * Publishes any event as given, e.g. one the emulator does not model (`ENTER_AIO`) or a
   * guild event with custom data. `routing.guildId` picks the shard for guild events; member and
   * forum events of that guild, and reactions naming a channel, become answerable by `event_id`.
   */
  dispatch<D>(t: string, d: D, routing: EventRouting = {}): PublishedEvent<D> {
    if (!/^[A-Z0-9_]+$/.test(t)) throw new EmulatorError(`event names are UPPER_SNAKE_CASE, got "${t}"`);
    const event = this.#ctx.events.publish(t, d, routing);
    registerAnswerable(this.#ctx, event, routing);
    return event;
  }
}
