import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type { Member, Message, MessageAudited, MessageReaction } from '../protocol/wire.js';
import { createBotGuildMessage } from '../rest/botMessages.js';
import type { MemberRecord } from '../state/GuildStore.js';
import { isoTimestamp } from '../util/time.js';
import { escapeContent, type SimulationContext } from './SimulationContext.js';

/** A user writing in a guild channel. */
export interface GuildMessageOptions {
  /** Text as the user typed it; escaped on the wire unless `raw`. */
  content: string;
  /** Channel (default: the seed "general" channel, or the guild's first text channel when `guildId` is given). */
  channelId?: string;
  guildId?: string;
  /** Author user id (default: Alice when she is a member, else the guild's first member); must be a member. */
  authorId?: string;
  /** Send `content` unescaped. */
  raw?: boolean;
}

/** A user writing to the bot in a DM. */
export interface DirectMessageOptions {
  content: string;
  /** DM guild id (default: the seed DM with Alice). */
  dmGuildId?: string;
  raw?: boolean;
}

/** A user joining or leaving a guild. */
export interface MemberChangeOptions {
  guildId?: string;
  /** Existing user id; for joins a new user is created when absent. */
  userId?: string;
  /** Name of a new user (joins only). */
  username?: string;
}

/** A member's nickname or roles being changed. */
export interface MemberUpdateOptions {
  guildId?: string;
  /** The member (must be in the guild). */
  userId: string;
  nick?: string;
  /** The member's role ids, replacing the current ones. */
  roles?: string[];
  /** Who made the change (default: the member). */
  opUserId?: string;
}

/** A user adding or removing an emoji reaction. */
export interface ReactionOptions {
  /** The message reacted to. */
  messageId: string;
  channelId?: string;
  userId?: string;
  /** Emoji (default `{id: "4", type: 1}`, a system emoji). */
  emoji?: { id: string; type: number };
}

/** A user entering or leaving a voice or live channel. */
export interface VoiceOptions {
  channelId: string;
  userId?: string;
}

function channelOf(
  ctx: SimulationContext,
  options: { channelId?: string | undefined; guildId?: string | undefined },
): { id: string; guild_id: string } {
  const { world } = ctx;
  if (options.channelId !== undefined) {
    const channel = world.guilds.channel(options.channelId);
    if (!channel) throw new EmulatorError(`unknown channel ${options.channelId}`);
    return channel;
  }
  if (options.guildId !== undefined) {
    const channel = world.guilds.channelsOf(options.guildId).find((c) => c.type === 0);
    if (!channel) throw new EmulatorError(`guild ${options.guildId} is unknown or has no text channel`);
    return channel;
  }
  const channel = world.guilds.channel(world.defaults.channelId);
  if (!channel) throw new EmulatorError('the default channel was deleted; pass channelId');
  return channel;
}

/** The user a simulation acts as when none is named: Alice when she is a member, else the guild's first human member. */
export function defaultUserIn(ctx: SimulationContext, guildId: string): string {
  const { world } = ctx;
  if (world.guilds.memberRecord(guildId, world.defaults.userId)) return world.defaults.userId;
  const human = world.guilds.memberRecords(guildId).find((m) => m.userId !== world.bot.id);
  if (!human) throw new EmulatorError(`guild ${guildId} has no member besides the bot; pass a user id`);
  return human.userId;
}

function memberOf(ctx: SimulationContext, guildId: string, userId: string): MemberRecord {
  const member = ctx.world.guilds.memberRecord(guildId, userId);
  if (!member) throw new EmulatorError(`user ${userId} is not a member of guild ${guildId}`);
  return member;
}

function userMessage(
  ctx: SimulationContext,
  t: 'AT_MESSAGE_CREATE' | 'MESSAGE_CREATE',
  options: GuildMessageOptions,
): PublishedEvent<Message> {
  const { world, ids } = ctx;
  const channel = channelOf(ctx, options);
  const authorId = options.authorId ?? defaultUserIn(ctx, channel.guild_id);
  const member = memberOf(ctx, channel.guild_id, authorId);
  const author = world.guilds.user(authorId);
  if (!author) throw new EmulatorError(`unknown user ${authorId}`);
  const text = options.raw ? options.content : escapeContent(options.content);
  const mention = t === 'AT_MESSAGE_CREATE';
  const seq = world.messages.nextSeqInChannel(channel.id);
  const now = Date.now();
  const message: Message = {
    id: ids.guildMessageId(),
    channel_id: channel.id,
    guild_id: channel.guild_id,
    content: mention ? `<@!${world.bot.id}> ${text}` : text,
    timestamp: isoTimestamp(now),
    author: { id: author.id, username: author.username, avatar: author.avatar, bot: author.bot },
    member: { joined_at: member.joinedAt, roles: [...member.roles], nick: member.nick },
    ...(mention ? { mentions: [{ ...world.bot }] } : {}),
    seq,
    seq_in_channel: String(seq),
  };
  world.messages.add({
    id: message.id,
    scene: 'guild',
    target: channel.id,
    fromBot: false,
    createdAt: now,
    content: message.content,
    wire: message,
  });
  ctx.replies.register(message.id, 'msg', 'guild', channel.id, now);
  return ctx.events.publish(t, message, { guildId: channel.guild_id });
}

/** AT_MESSAGE_CREATE: a user @-mentions the bot in a channel. */
export function guildAtMessage(
  ctx: SimulationContext,
  options: GuildMessageOptions,
): PublishedEvent<Message> {
  return userMessage(ctx, 'AT_MESSAGE_CREATE', options);
}

/** MESSAGE_CREATE: any message in a channel (private-domain bots). */
export function guildMessage(ctx: SimulationContext, options: GuildMessageOptions): PublishedEvent<Message> {
  return userMessage(ctx, 'MESSAGE_CREATE', options);
}

/** DIRECT_MESSAGE_CREATE: a user writes to the bot in a DM. */
export function directMessage(
  ctx: SimulationContext,
  options: DirectMessageOptions,
): PublishedEvent<Message> {
  const { world, ids } = ctx;
  const dm = world.dms.byGuild(options.dmGuildId ?? world.defaults.dmGuildId);
  if (!dm)
    throw new EmulatorError(`no DM session with guild id ${options.dmGuildId ?? world.defaults.dmGuildId}`);
  const author = world.guilds.user(dm.userId);
  if (!author) throw new EmulatorError(`unknown user ${dm.userId}`);
  const member = world.guilds.memberRecord(dm.sourceGuildId, dm.userId);
  const seq = world.messages.nextSeqInChannel(dm.session.channel_id);
  const now = Date.now();
  const message: Message = {
    id: ids.guildMessageId(),
    channel_id: dm.session.channel_id,
    guild_id: dm.session.guild_id,
    content: options.raw ? options.content : escapeContent(options.content),
    timestamp: isoTimestamp(now),
    author: { id: author.id, username: author.username, avatar: author.avatar, bot: author.bot },
    ...(member
      ? { member: { joined_at: member.joinedAt, roles: [...member.roles], nick: member.nick } }
      : {}),
    seq,
    seq_in_channel: String(seq),
    direct_message: true,
    src_guild_id: dm.sourceGuildId,
  };
  world.messages.add({
    id: message.id,
    scene: 'dm',
    target: dm.session.guild_id,
    fromBot: false,
    createdAt: now,
    content: message.content,
    wire: message,
  });
  ctx.replies.register(message.id, 'msg', 'dm', dm.session.guild_id, now);
  return ctx.events.publish('DIRECT_MESSAGE_CREATE', message, { guildId: dm.session.guild_id });
}

/** GUILD_MEMBER_ADD: a user joins a guild (a new user unless `userId` names one). */
export function memberJoin(
  ctx: SimulationContext,
  options: MemberChangeOptions = {},
): PublishedEvent<Member> {
  const { world, ids } = ctx;
  const guildId = options.guildId ?? world.defaults.guildId;
  if (!world.guilds.guild(guildId)) throw new EmulatorError(`unknown guild ${guildId}`);
  const userId = options.userId ?? ids.snowflake();
  if (!world.guilds.user(userId)) {
    world.guilds.putUser({
      id: userId,
      username: options.username ?? `user-${userId.slice(-4)}`,
      avatar: `https://thirdqq.qlogo.cn/g?b=oidb&k=${userId}&s=100`,
      bot: false,
    });
  }
  if (world.guilds.memberRecord(guildId, userId))
    throw new EmulatorError(`user ${userId} is already a member of guild ${guildId}`);
  const record: MemberRecord = {
    userId,
    nick: world.guilds.user(userId)?.username ?? '',
    roles: ['1'],
    joinedAt: isoTimestamp(),
    mutedUntil: 0,
  };
  world.guilds.putMember(guildId, record);
  return ctx.events.publish(
    'GUILD_MEMBER_ADD',
    { ...world.guilds.memberWire(guildId, record), guild_id: guildId, op_user_id: userId },
    { guildId },
  );
}

/** GUILD_MEMBER_REMOVE: a user leaves a guild. */
export function memberLeave(
  ctx: SimulationContext,
  options: MemberChangeOptions & { userId: string },
): PublishedEvent<Member> {
  const { world } = ctx;
  const guildId = options.guildId ?? world.defaults.guildId;
  const record = world.guilds.removeMember(guildId, options.userId);
  if (!record) throw new EmulatorError(`user ${options.userId} is not a member of guild ${guildId}`);
  return ctx.events.publish(
    'GUILD_MEMBER_REMOVE',
    { ...world.guilds.memberWire(guildId, record), guild_id: guildId, op_user_id: options.userId },
    { guildId },
  );
}

/** GUILD_MEMBER_UPDATE: a member's nickname or roles change. */
export function memberUpdate(ctx: SimulationContext, options: MemberUpdateOptions): PublishedEvent<Member> {
  const { world } = ctx;
  const guildId = options.guildId ?? world.defaults.guildId;
  const record = memberOf(ctx, guildId, options.userId);
  const opUserId = options.opUserId ?? options.userId;
  if (!world.guilds.user(opUserId)) throw new EmulatorError(`unknown user ${opUserId}`);
  const roles = world.guilds.rolesOf(guildId);
  const unknownRole = options.roles?.find((id) => !roles?.has(id));
  if (unknownRole !== undefined) throw new EmulatorError(`guild ${guildId} has no role ${unknownRole}`);
  const updated: MemberRecord = {
    ...record,
    ...(options.nick === undefined ? {} : { nick: options.nick }),
    ...(options.roles === undefined ? {} : { roles: [...options.roles] }),
  };
  world.guilds.putMember(guildId, updated);
  return ctx.events.publish(
    'GUILD_MEMBER_UPDATE',
    { ...world.guilds.memberWire(guildId, updated), guild_id: guildId, op_user_id: opUserId },
    { guildId },
  );
}

/** MESSAGE_REACTION_ADD / _REMOVE: a user reacts to a message. */
export function reaction(
  ctx: SimulationContext,
  added: boolean,
  options: ReactionOptions,
): PublishedEvent<MessageReaction> {
  const { world } = ctx;
  const message = world.messages.find(options.messageId, 'guild');
  if (!message) throw new EmulatorError(`unknown guild message ${options.messageId}`);
  const channel = channelOf(ctx, { channelId: options.channelId ?? message.target });
  const userId = options.userId ?? defaultUserIn(ctx, channel.guild_id);
  memberOf(ctx, channel.guild_id, userId);
  const emoji = options.emoji ?? { id: '4', type: 1 };
  const key = { channelId: channel.id, messageId: message.id, emojiType: emoji.type, emojiId: emoji.id };
  const changed = added
    ? world.messages.addReaction(key, userId)
    : world.messages.removeReaction(key, userId);
  if (!changed)
    throw new EmulatorError(
      added ? 'the user already reacted with this emoji' : 'the user has no such reaction',
    );
  const payload: MessageReaction = {
    user_id: userId,
    guild_id: channel.guild_id,
    channel_id: channel.id,
    target: { id: message.id, type: 0 },
    emoji,
  };
  return ctx.events.publish(added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', payload, {
    guildId: channel.guild_id,
  });
}

/** AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER / _EXIT: a user enters or leaves a voice or live channel. */
export function voice(
  ctx: SimulationContext,
  entered: boolean,
  options: VoiceOptions,
): PublishedEvent<{ guild_id: string; channel_id: string; channel_type: number; user_id: string }> {
  const { world } = ctx;
  const channel = world.guilds.channel(options.channelId);
  if (!channel || (channel.type !== 2 && channel.type !== 10005))
    throw new EmulatorError(`${options.channelId} is not a voice or live channel`);
  const userId = options.userId ?? defaultUserIn(ctx, channel.guild_id);
  memberOf(ctx, channel.guild_id, userId);
  const present = world.content.voiceMembers.get(channel.id) ?? new Set<string>();
  if (entered) present.add(userId);
  else present.delete(userId);
  world.content.voiceMembers.set(channel.id, present);
  const t = entered ? 'AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER' : 'AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT';
  return ctx.events.publish(
    t,
    { guild_id: channel.guild_id, channel_id: channel.id, channel_type: channel.type, user_id: userId },
    { guildId: channel.guild_id },
  );
}

/**
 * MESSAGE_AUDIT_PASS / _REJECT for a send held in audit mode. A pass creates the message.
 */
export function auditResult(
  ctx: SimulationContext,
  passed: boolean,
  auditId: string,
): PublishedEvent<MessageAudited> {
  const audit = ctx.audits.take(auditId);
  if (!audit) throw new EmulatorError(`no pending audit ${auditId}`);
  const now = Date.now();
  const dm = audit.scene === 'dm' ? ctx.world.dms.byGuild(audit.guildId) : undefined;
  const message = passed
    ? createBotGuildMessage(
        ctx.world,
        ctx.ids,
        {
          scene: audit.scene,
          guildId: audit.guildId,
          channelId: audit.channelId,
          target: audit.target,
          ...(dm ? { sourceGuildId: dm.sourceGuildId } : {}),
        },
        audit.body,
        audit.files,
        now,
      )
    : undefined;
  const payload: MessageAudited = {
    audit_id: audit.auditId,
    ...(message ? { message_id: message.id } : {}),
    guild_id: audit.guildId,
    channel_id: audit.channelId,
    audit_time: isoTimestamp(now),
    create_time: isoTimestamp(audit.createdAt),
    seq_in_channel: message?.seq_in_channel ?? '0',
  };
  return ctx.events.publish(passed ? 'MESSAGE_AUDIT_PASS' : 'MESSAGE_AUDIT_REJECT', payload, {
    guildId: audit.guildId,
  });
}
