import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type { Message, MessageDelete } from '../protocol/wire.js';
import type { SimulationContext } from './SimulationContext.js';

/** A guild or DM message being recalled by its author or a moderator. */
export interface MessageDeleteOptions {
  /** A guild channel or DM message the emulator knows (a user's or the bot's). */
  messageId: string;
  /** Who recalled it (default: its author). */
  opUserId?: string | undefined;
}

/** The event a recall produces: DMs have their own; a message that mentioned the bot is public. */
function deleteEventOf(
  wire: Message,
  botId: string,
): 'DIRECT_MESSAGE_DELETE' | 'PUBLIC_MESSAGE_DELETE' | 'MESSAGE_DELETE' {
  if (wire.direct_message === true) return 'DIRECT_MESSAGE_DELETE';
  return wire.mentions?.some((user) => user.id === botId) ? 'PUBLIC_MESSAGE_DELETE' : 'MESSAGE_DELETE';
}

/**
 * MESSAGE_DELETE, PUBLIC_MESSAGE_DELETE (the message @-mentioned the bot) or DIRECT_MESSAGE_DELETE:
 * a message is recalled and leaves the world (pins included).
 */
export function messageDelete(
  ctx: SimulationContext,
  options: MessageDeleteOptions,
): PublishedEvent<MessageDelete> {
  const { world } = ctx;
  const stored = world.messages.find(options.messageId);
  const wire = stored?.wire;
  if (!stored || !wire) throw new EmulatorError(`unknown guild or DM message ${options.messageId}`);
  const opUserId = options.opUserId ?? wire.author.id;
  if (!world.guilds.user(opUserId)) throw new EmulatorError(`unknown user ${opUserId}`);
  world.messages.delete(wire.id);
  const { id, channel_id, guild_id, author, direct_message, src_guild_id } = wire;
  const payload: MessageDelete = {
    message: {
      id,
      channel_id,
      guild_id,
      author: { id: author.id, username: author.username, avatar: author.avatar, bot: author.bot },
      ...(direct_message === undefined ? {} : { direct_message }),
      ...(src_guild_id === undefined ? {} : { src_guild_id }),
    },
    op_user: { id: opUserId },
  };
  return ctx.events.publish(deleteEventOf(wire, world.bot.id), payload, { guildId: guild_id });
}
