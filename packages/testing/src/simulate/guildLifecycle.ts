import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type { Guild } from '../protocol/wire.js';
import { isoTimestamp } from '../util/time.js';
import type { SimulationContext } from './SimulationContext.js';

/** The bot being added to a new guild. */
export interface GuildCreateOptions {
  /** Id of the new guild (default: a fresh snowflake); must not exist yet. */
  guildId?: string | undefined;
  /** Default `"New Guild"`. */
  name?: string | undefined;
  description?: string | undefined;
  /** The user who added the bot, and the guild's owner (default: Alice). */
  opUserId?: string | undefined;
}

/** A guild's settings being changed. */
export interface GuildUpdateOptions {
  /** Default: the seed guild "Emulator Hall". */
  guildId?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  /** Who changed it (default: the guild's owner). */
  opUserId?: string | undefined;
}

/** The bot being removed from a guild (or the guild being dissolved). */
export interface GuildDeleteOptions {
  guildId: string;
  /** Who removed the bot (default: the guild's owner). */
  opUserId?: string | undefined;
}

function knownUser(ctx: SimulationContext, userId: string): string {
  if (!ctx.world.guilds.user(userId)) throw new EmulatorError(`unknown user ${userId}`);
  return userId;
}

function existingGuild(ctx: SimulationContext, guildId: string): Guild {
  const guild = ctx.world.guilds.guild(guildId);
  if (!guild) throw new EmulatorError(`unknown guild ${guildId}`);
  return guild;
}

/** GUILD_CREATE: the bot is added to a guild, which gets a "general" channel. */
export function guildCreate(ctx: SimulationContext, options: GuildCreateOptions = {}): PublishedEvent<Guild> {
  const { world, ids } = ctx;
  const opUserId = knownUser(ctx, options.opUserId ?? world.defaults.userId);
  const id = options.guildId ?? ids.snowflake();
  if (!/^\d+$/.test(id)) throw new EmulatorError(`guild ids are numeric strings, got "${id}"`);
  if (world.guilds.guild(id)) throw new EmulatorError(`the bot is already in guild ${id}`);
  const guild = world.createGuild({
    id,
    channelId: ids.snowflake(),
    name: options.name ?? 'New Guild',
    description: options.description ?? '',
    ownerId: opUserId,
    joinedAt: isoTimestamp(),
  });
  return ctx.events.publish('GUILD_CREATE', { ...guild, op_user_id: opUserId }, { guildId: id });
}

/** GUILD_UPDATE: a guild's name or description changes. */
export function guildUpdate(ctx: SimulationContext, options: GuildUpdateOptions = {}): PublishedEvent<Guild> {
  const guild = existingGuild(ctx, options.guildId ?? ctx.world.defaults.guildId);
  const opUserId = knownUser(ctx, options.opUserId ?? guild.owner_id);
  if (options.name !== undefined) guild.name = options.name;
  if (options.description !== undefined) guild.description = options.description;
  return ctx.events.publish('GUILD_UPDATE', { ...guild, op_user_id: opUserId }, { guildId: guild.id });
}

/** GUILD_DELETE: the bot leaves a guild; the guild and everything in it are forgotten. */
export function guildDelete(ctx: SimulationContext, options: GuildDeleteOptions): PublishedEvent<Guild> {
  const guild = existingGuild(ctx, options.guildId);
  const opUserId = knownUser(ctx, options.opUserId ?? guild.owner_id);
  ctx.world.guilds.deleteGuild(guild.id);
  return ctx.events.publish('GUILD_DELETE', { ...guild, op_user_id: opUserId }, { guildId: guild.id });
}
