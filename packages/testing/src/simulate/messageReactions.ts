import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type { MessageReaction } from '../protocol/wire.js';
import { channelOf, defaultUserIn, memberOf } from './guildLookup.js';
import type { SimulationContext } from './SimulationContext.js';

/** A user adding or removing an emoji reaction. */
export interface ReactionOptions {
  /** The message reacted to. */
  messageId: string;
  channelId?: string | undefined;
  userId?: string | undefined;
  /** Emoji (default `{id: "4", type: 1}`, a system emoji). */
  emoji?: { id: string; type: number } | undefined;
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
  const event = ctx.events.publish(added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', payload, {
    guildId: channel.guild_id,
  });
  // Reaction events may be answered by event_id in their channel (docs/protocol.md §13).
  ctx.replies.register(event.id, 'event', 'guild', channel.id);
  return event;
}
