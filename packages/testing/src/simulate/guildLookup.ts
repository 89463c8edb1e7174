import { EmulatorError } from '../EmulatorError.js';
import type { MemberRecord } from '../state/GuildStore.js';
import type { SimulationContext } from './SimulationContext.js';

/** The channel named by `channelId`, else the first text channel of `guildId`, else the seed channel. */
export function channelOf(
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

/** The member record of `userId` in `guildId`; an {@link EmulatorError} when there is none. */
export function memberOf(ctx: SimulationContext, guildId: string, userId: string): MemberRecord {
  const member = ctx.world.guilds.memberRecord(guildId, userId);
  if (!member) throw new EmulatorError(`user ${userId} is not a member of guild ${guildId}`);
  return member;
}
