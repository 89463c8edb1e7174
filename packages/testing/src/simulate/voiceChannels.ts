import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import { defaultUserIn, memberOf } from './guildLookup.js';
import type { SimulationContext } from './SimulationContext.js';

/** A user entering or leaving a voice or live channel. */
export interface VoiceOptions {
  channelId: string;
  userId?: string | undefined;
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
