import type { EventRouting, PublishedEvent } from '../dispatch/routing.js';
import type { SimulationContext } from './SimulationContext.js';

/**
 * Guild events a bot may answer by `event_id` that name no text channel: the answer may go to any
 * text channel of the guild (docs/protocol.md §13; where exactly is not documented).
 */
const GUILD_WIDE = new Set([
  'GUILD_MEMBER_ADD',
  'GUILD_MEMBER_UPDATE',
  'GUILD_MEMBER_REMOVE',
  'FORUM_THREAD_CREATE',
  'FORUM_THREAD_UPDATE',
  'FORUM_THREAD_DELETE',
  'FORUM_POST_CREATE',
  'FORUM_POST_DELETE',
  'FORUM_REPLY_CREATE',
  'FORUM_REPLY_DELETE',
]);

/** Reaction events, answered in the channel of the reaction. */
const IN_CHANNEL = new Set(['MESSAGE_REACTION_ADD', 'MESSAGE_REACTION_REMOVE']);

/**
 * Makes an event published as given (`simulate.dispatch`) answerable by `event_id` when the
 * platform allows it: guild-wide for member and forum events of `routing.guildId`, in its channel
 * for a reaction that names one.
 *
 * @param ctx - the reply rules to register with
 * @param event - the published event
 * @param routing - its guild
 */
export function registerAnswerable(
  ctx: SimulationContext,
  event: PublishedEvent<unknown>,
  routing: EventRouting,
): void {
  if (GUILD_WIDE.has(event.t) && routing.guildId !== undefined) {
    ctx.replies.registerGuildWide(event.id, routing.guildId);
    return;
  }
  const channelId = (event.d as { channel_id?: unknown } | null)?.channel_id;
  if (IN_CHANNEL.has(event.t) && typeof channelId === 'string')
    ctx.replies.register(event.id, 'event', 'guild', channelId);
}
