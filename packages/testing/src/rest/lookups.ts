import type { Channel, Guild, Role } from '../protocol/wire.js';
import type { MemberRecord } from '../state/GuildStore.js';
import type { C2CUserRecord, GroupRecord } from '../state/OpenStore.js';
import type { World } from '../state/World.js';
import { ErrorCode } from './errorCodes.js';
import { RestError } from './RestError.js';

/** The guild, or 404 UnknownGuild. */
export function requireGuild(world: World, guildId: string): Guild {
  const guild = world.guilds.guild(guildId);
  if (!guild) throw new RestError(404, ErrorCode.UnknownGuild, `unknown guild ${guildId}`);
  return guild;
}

/** The channel, or 404 UnknownChannel. */
export function requireChannel(world: World, channelId: string): Channel {
  const channel = world.guilds.channel(channelId);
  if (!channel) throw new RestError(404, ErrorCode.UnknownChannel, `unknown channel ${channelId}`);
  return channel;
}

/** The member, or 404 UnknownAccount. */
export function requireMember(world: World, guildId: string, userId: string): MemberRecord {
  requireGuild(world, guildId);
  const member = world.guilds.memberRecord(guildId, userId);
  if (!member)
    throw new RestError(404, ErrorCode.UnknownAccount, `user ${userId} is not a member of guild ${guildId}`);
  return member;
}

/** The role, or 404 (the platform documents no code for it, so the code is the status). */
export function requireRole(world: World, guildId: string, roleId: string): Role {
  requireGuild(world, guildId);
  const role = world.guilds.rolesOf(guildId)?.get(roleId);
  if (!role) throw new RestError(404, 404, `unknown role ${roleId} in guild ${guildId}`);
  return role;
}

/** The group, when the bot is in it; otherwise the platform's "not a group member". */
export function requireGroup(world: World, groupOpenid: string): GroupRecord {
  const group = world.open.groups.get(groupOpenid);
  if (!group?.botPresent)
    throw new RestError(403, ErrorCode.NotGroupMember, `the bot is not a member of group ${groupOpenid}`);
  return group;
}

/** The C2C user, when they have the bot as a friend; otherwise 404 UnknownAccount. */
export function requireC2CUser(world: World, openid: string): C2CUserRecord {
  const user = world.open.users.get(openid);
  if (!user?.friend)
    throw new RestError(404, ErrorCode.UnknownAccount, `unknown user ${openid} (or not a friend of the bot)`);
  return user;
}
