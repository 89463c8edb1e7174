import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type { Message } from '../protocol/wire.js';
import { isoTimestamp } from '../util/time.js';
import { channelOf, defaultUserIn, memberOf } from './guildLookup.js';
import { escapeContent, type SimulationContext } from './SimulationContext.js';

/** A user writing in a guild channel. */
export interface GuildMessageOptions {
  /** Text as the user typed it; escaped on the wire unless `raw`. */
  content: string;
  /** Channel (default: the seed "general" channel, or the guild's first text channel when `guildId` is given). */
  channelId?: string | undefined;
  guildId?: string | undefined;
  /** Author user id (default: Alice when she is a member, else the guild's first member); must be a member. */
  authorId?: string | undefined;
  /** Send `content` unescaped. */
  raw?: boolean | undefined;
}

/** A user writing to the bot in a DM. */
export interface DirectMessageOptions {
  content: string;
  /** DM guild id (default: the seed DM with Alice). */
  dmGuildId?: string | undefined;
  raw?: boolean | undefined;
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
