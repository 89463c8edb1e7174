import type {
  DispatchEventMap,
  DispatchEventName,
  FriendEvent as CatalogueFriendEvent,
  GroupRobotEvent as CatalogueGroupRobotEvent,
} from '@bot/core';
import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type {
  C2CMessage,
  FriendEvent,
  GroupAtMessage,
  GroupRobotEvent,
  Interaction,
  MessageAttachment,
} from '../protocol/wire.js';
import type { Scene } from '../state/MessageStore.js';
import type { C2CUserRecord, GroupRecord } from '../state/OpenStore.js';
import { isoTimestamp, unixSeconds } from '../util/time.js';
import { defaultUserIn } from './guildLookup.js';
import { requireSentButton } from './sentButtons.js';
import { escapeContent, type SimulationContext } from './SimulationContext.js';

/** A group member @-mentioning the bot. */
export interface GroupMessageOptions {
  content: string;
  /** Group (default: the seed "Book Club"); the bot must be in it. */
  groupOpenid?: string | undefined;
  /** Author (default: the group's first member). */
  memberOpenid?: string | undefined;
  attachments?: MessageAttachment[] | undefined;
  raw?: boolean | undefined;
}

/** A user writing to the bot one-to-one. */
export interface C2CMessageOptions {
  content: string;
  /** User (default: the seed user Judy); must have the bot as a friend. */
  userOpenid?: string | undefined;
  attachments?: MessageAttachment[] | undefined;
  raw?: boolean | undefined;
}

/** A group-level action by a member (add/remove the bot, turn bot messages on/off). */
export interface GroupActionOptions {
  /** The group (default: the seed "Book Club"); GROUP_ADD_ROBOT with an unknown openid creates it. */
  groupOpenid?: string | undefined;
  /** The member who acted (default: the group's first member, or a new openid). */
  opMemberOpenid?: string | undefined;
  /** Name of a group created by GROUP_ADD_ROBOT. */
  name?: string | undefined;
}

/** A user-level action (add/remove the bot as friend, turn bot messages on/off). */
export interface UserActionOptions {
  /** The user (default: the seed user Judy); FRIEND_ADD with an unknown openid creates them. */
  userOpenid?: string | undefined;
  name?: string | undefined;
}

/** A user clicking a message button. */
export interface InteractionOptions {
  /** Where the button was clicked. */
  scene: 'guild' | 'group' | 'c2c';
  /**
   * The button's id. A button the bot sent without an id is found by `buttonData` whatever id is
   * given: the platform's pages do not say what `button_id` such a press carries.
   */
  buttonId: string;
  /** The button's `action.data` (default: the data of the button pressed). */
  buttonData?: string | undefined;
  /**
   * Guild scene: channel (default: the channel of `messageId` when given, else the seed "general"
   * channel) and user (default: Alice).
   */
  channelId?: string | undefined;
  userId?: string | undefined;
  /** Group scene: group and member. */
  groupOpenid?: string | undefined;
  memberOpenid?: string | undefined;
  /** C2C scene: the user. */
  userOpenid?: string | undefined;
  /**
   * The bot's message the button belongs to (default: the newest one in the chat holding the
   * button). Either way it is the press's `resolved.message_id`.
   */
  messageId?: string | undefined;
  /**
   * Publishes the press even though the bot never sent that button to the chat. Without it a press
   * is refused unless a message the bot sent there (not recalled) holds a callback button with this
   * id and, when given, this `buttonData`: the platform delivers no other presses. For tests of a
   * bot's answer to stale or forged presses.
   *
   * @defaultValue false
   */
  allowUnsentButton?: boolean | undefined;
}

function groupOf(ctx: SimulationContext, groupOpenid: string | undefined): GroupRecord {
  const id = groupOpenid ?? ctx.world.defaults.groupOpenid;
  const group = ctx.world.open.groups.get(id);
  if (!group) throw new EmulatorError(`unknown group ${id}`);
  return group;
}

function userOf(ctx: SimulationContext, userOpenid: string | undefined): C2CUserRecord {
  const id = userOpenid ?? ctx.world.defaults.userOpenid;
  const user = ctx.world.open.users.get(id);
  if (!user) throw new EmulatorError(`unknown C2C user ${id}`);
  return user;
}

function storeInbound(
  ctx: SimulationContext,
  id: string,
  scene: Scene,
  target: string,
  content: string,
  at: number,
): void {
  ctx.world.messages.add({ id, scene, target, fromBot: false, createdAt: at, content });
  ctx.replies.register(id, 'msg', scene, target, at);
}

/** GROUP_AT_MESSAGE_CREATE: a member @-mentions the bot in a group. */
export function groupAtMessage(
  ctx: SimulationContext,
  options: GroupMessageOptions,
): PublishedEvent<GroupAtMessage> {
  const group = groupOf(ctx, options.groupOpenid);
  if (!group.botPresent) throw new EmulatorError(`the bot is not in group ${group.groupOpenid}`);
  const memberOpenid = options.memberOpenid ?? group.memberOpenids[0] ?? ctx.ids.openid();
  if (!group.memberOpenids.includes(memberOpenid)) group.memberOpenids.push(memberOpenid);
  const now = Date.now();
  // The @-mention is stripped on the wire, leaving the space that followed it.
  const content = ` ${options.raw ? options.content : escapeContent(options.content)}`;
  const message: GroupAtMessage = {
    id: ctx.ids.openMessageId(),
    author: { id: memberOpenid, member_openid: memberOpenid, union_openid: `U${memberOpenid.slice(1)}` },
    content,
    group_id: group.groupOpenid,
    group_openid: group.groupOpenid,
    timestamp: isoTimestamp(now),
    ...(options.attachments ? { attachments: options.attachments } : {}),
  };
  storeInbound(ctx, message.id, 'group', group.groupOpenid, content, now);
  return ctx.events.publish('GROUP_AT_MESSAGE_CREATE', message);
}

/** C2C_MESSAGE_CREATE: a user writes to the bot one-to-one. */
export function c2cMessage(ctx: SimulationContext, options: C2CMessageOptions): PublishedEvent<C2CMessage> {
  const user = userOf(ctx, options.userOpenid);
  if (!user.friend) throw new EmulatorError(`user ${user.userOpenid} has not added the bot`);
  const now = Date.now();
  const content = options.raw ? options.content : escapeContent(options.content);
  const message: C2CMessage = {
    id: ctx.ids.openMessageId(),
    author: { id: user.userOpenid, user_openid: user.userOpenid, union_openid: user.unionOpenid },
    content,
    timestamp: isoTimestamp(now),
    ...(options.attachments ? { attachments: options.attachments } : {}),
  };
  storeInbound(ctx, message.id, 'c2c', user.userOpenid, content, now);
  return ctx.events.publish('C2C_MESSAGE_CREATE', message);
}

/** The catalogue's events whose payload is `Payload`. */
type EventsCarrying<Payload> = {
  [Name in DispatchEventName]: DispatchEventMap[Name] extends Payload ? Name : never;
}[DispatchEventName];

/** GROUP_ADD_ROBOT, GROUP_DEL_ROBOT, GROUP_MSG_REJECT and GROUP_MSG_RECEIVE. */
type GroupAction = EventsCarrying<CatalogueGroupRobotEvent>;

/** Group-level actions; GROUP_ADD_ROBOT creates the group when the openid is new. */
export function groupAction(
  ctx: SimulationContext,
  t: GroupAction,
  options: GroupActionOptions = {},
): PublishedEvent<GroupRobotEvent> {
  const { world, ids } = ctx;
  const adding = t === 'GROUP_ADD_ROBOT';
  let group = world.open.groups.get(options.groupOpenid ?? world.defaults.groupOpenid);
  if (!group && adding) {
    group = {
      groupOpenid: options.groupOpenid ?? ids.openid(),
      name: options.name ?? 'New Group',
      memberOpenids: [],
      botPresent: false,
    };
    world.open.groups.set(group.groupOpenid, group);
  }
  if (!group) throw new EmulatorError(`unknown group ${options.groupOpenid ?? world.defaults.groupOpenid}`);
  const opMember = options.opMemberOpenid ?? group.memberOpenids[0] ?? ids.openid();
  if (!group.memberOpenids.includes(opMember)) group.memberOpenids.push(opMember);
  if (t === 'GROUP_ADD_ROBOT') {
    if (group.botPresent) throw new EmulatorError(`the bot is already in group ${group.groupOpenid}`);
    group.botPresent = true;
  } else if (!group.botPresent) {
    throw new EmulatorError(`the bot is not in group ${group.groupOpenid}`);
  } else if (t === 'GROUP_DEL_ROBOT') {
    group.botPresent = false;
  }
  const event = ctx.events.publish(t, {
    timestamp: unixSeconds(),
    group_openid: group.groupOpenid,
    op_member_openid: opMember,
  });
  if (t === 'GROUP_ADD_ROBOT' || t === 'GROUP_MSG_RECEIVE')
    ctx.replies.register(event.id, 'event', 'group', group.groupOpenid);
  return event;
}

/** FRIEND_ADD, FRIEND_DEL, C2C_MSG_REJECT and C2C_MSG_RECEIVE. */
type UserAction = EventsCarrying<CatalogueFriendEvent>;

/** User-level actions; FRIEND_ADD creates the user when the openid is new. */
export function userAction(
  ctx: SimulationContext,
  t: UserAction,
  options: UserActionOptions = {},
): PublishedEvent<FriendEvent> {
  const { world, ids } = ctx;
  const adding = t === 'FRIEND_ADD';
  let user = world.open.users.get(options.userOpenid ?? world.defaults.userOpenid);
  if (!user && adding) {
    const openid = options.userOpenid ?? ids.openid();
    user = {
      userOpenid: openid,
      unionOpenid: `U${openid.slice(1)}`,
      name: options.name ?? 'New Friend',
      friend: false,
    };
    world.open.users.set(openid, user);
  }
  if (!user) throw new EmulatorError(`unknown C2C user ${options.userOpenid ?? world.defaults.userOpenid}`);
  if (t === 'FRIEND_ADD') {
    if (user.friend) throw new EmulatorError(`user ${user.userOpenid} already has the bot as a friend`);
    user.friend = true;
  } else if (!user.friend) {
    throw new EmulatorError(`user ${user.userOpenid} has not added the bot`);
  } else if (t === 'FRIEND_DEL') {
    user.friend = false;
  }
  const event = ctx.events.publish(t, { timestamp: unixSeconds(), openid: user.userOpenid });
  if (t === 'FRIEND_ADD' || t === 'C2C_MSG_RECEIVE')
    ctx.replies.register(event.id, 'event', 'c2c', user.userOpenid);
  return event;
}

/** The chat a press happens in: the checks of its scene, then its part of the payload. */
interface PressChat {
  scene: Extract<Scene, 'guild' | 'group' | 'c2c'>;
  target: string;
  guildId: string | undefined;
  fields: Pick<
    Interaction,
    'scene' | 'chat_type' | 'guild_id' | 'channel_id' | 'group_openid' | 'group_member_openid' | 'user_openid'
  >;
  /** `resolved.user_id` (guild scene). */
  userId: string | undefined;
}

/** The channel of a guild message the test names, so a press on it needs no `channelId`. */
function channelOfMessage(ctx: SimulationContext, messageId: string | undefined): string | undefined {
  return messageId === undefined ? undefined : ctx.world.messages.find(messageId, 'guild')?.target;
}

function pressChat(ctx: SimulationContext, options: InteractionOptions): PressChat {
  const { world, ids } = ctx;
  if (options.scene === 'guild') {
    const channelId =
      options.channelId ?? channelOfMessage(ctx, options.messageId) ?? world.defaults.channelId;
    const channel = world.guilds.channel(channelId);
    if (!channel) throw new EmulatorError(`unknown channel ${channelId}`);
    const userId = options.userId ?? defaultUserIn(ctx, channel.guild_id);
    if (!world.guilds.memberRecord(channel.guild_id, userId))
      throw new EmulatorError(`user ${userId} is not a member of guild ${channel.guild_id}`);
    return {
      scene: 'guild',
      target: channel.id,
      guildId: channel.guild_id,
      fields: { scene: 'guild', chat_type: 0, guild_id: channel.guild_id, channel_id: channel.id },
      userId,
    };
  }
  if (options.scene === 'group') {
    const group = groupOf(ctx, options.groupOpenid);
    if (!group.botPresent) throw new EmulatorError(`the bot is not in group ${group.groupOpenid}`);
    const member = options.memberOpenid ?? group.memberOpenids[0] ?? ids.openid();
    return {
      scene: 'group',
      target: group.groupOpenid,
      guildId: undefined,
      fields: { scene: 'group', chat_type: 1, group_openid: group.groupOpenid, group_member_openid: member },
      userId: undefined,
    };
  }
  const user = userOf(ctx, options.userOpenid);
  return {
    scene: 'c2c',
    target: user.userOpenid,
    guildId: undefined,
    fields: { scene: 'c2c', chat_type: 2, user_openid: user.userOpenid },
    userId: undefined,
  };
}

/**
 * INTERACTION_CREATE: a button click; the event id can anchor a reply, the interaction id takes the ACK.
 * Refused unless the bot sent the button to that chat (see {@link InteractionOptions.allowUnsentButton}).
 */
export function interaction(
  ctx: SimulationContext,
  options: InteractionOptions,
): PublishedEvent<Interaction> {
  const { world, ids } = ctx;
  const chat = pressChat(ctx, options);
  const sent = options.allowUnsentButton
    ? undefined
    : requireSentButton(world, {
        scene: chat.scene,
        target: chat.target,
        buttonId: options.buttonId,
        buttonData: options.buttonData,
        messageId: options.messageId,
      });
  // The message the emulator found carries the press as much as one the test named.
  const messageId = options.messageId ?? sent?.messageId;
  const payload: Interaction = {
    id: ids.opaque(16),
    application_id: ctx.appId,
    type: 11,
    timestamp: isoTimestamp(),
    version: 1,
    data: {
      type: 11,
      resolved: {
        button_data: options.buttonData ?? sent?.data ?? '',
        button_id: options.buttonId,
        ...(chat.userId !== undefined ? { user_id: chat.userId } : {}),
        ...(messageId !== undefined ? { message_id: messageId } : {}),
      },
    },
    ...chat.fields,
  };
  const { scene, target, guildId } = chat;
  world.content.interactions.set(payload.id, { ackCode: null });
  const event = ctx.events.publish('INTERACTION_CREATE', payload, { guildId });
  ctx.replies.register(event.id, 'event', scene, target);
  // The documentation names the interaction's own id as the one a passive answer quotes.
  ctx.replies.alias(payload.id, 'event', event.id);
  return event;
}
