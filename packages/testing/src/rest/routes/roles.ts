import type { Role } from '../../protocol/wire.js';
import { SYSTEM_ROLE_IDS } from '../../state/GuildStore.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger, optionalObject, optionalString } from '../fields.js';
import { requireChannel, requireGuild, requireMember, requireRole } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

/** The channel-admin system role, which is always bound to one channel. */
const CHANNEL_ADMIN_ROLE = '5';

function isSystemRole(roleId: string): boolean {
  return (SYSTEM_ROLE_IDS as readonly string[]).includes(roleId);
}

/** Reads the optional name/color/hoist of a role body; hoist is 0 or 1 on the wire. */
function roleFields(raw: unknown): { name?: string; color?: number; hoist?: number } {
  const body = bodyObject(raw);
  const name = optionalString(body, 'name');
  const color = optionalInteger(body, 'color');
  const hoist = optionalInteger(body, 'hoist');
  if (hoist !== undefined && hoist !== 0 && hoist !== 1)
    throw new RestError(400, ErrorCode.RequestInvalid, 'field "hoist" must be 0 or 1');
  if (color !== undefined && (color < 0 || color > 0xffffffff))
    throw new RestError(400, ErrorCode.RequestInvalid, 'field "color" must be an ARGB uint32');
  return {
    ...(name !== undefined ? { name } : {}),
    ...(color !== undefined ? { color } : {}),
    ...(hoist !== undefined ? { hoist } : {}),
  };
}

/** Guild roles and role membership. */
export const roleRoutes: RouteModule = (router, { world }) => {
  const nextRoleId = (guildId: string): string => {
    const ids = [...(world.guilds.rolesOf(guildId)?.keys() ?? [])].map(Number).filter((n) => n >= 10000);
    return String(ids.length === 0 ? 10001 : Math.max(...ids) + 1);
  };

  router.add('GET /guilds/{guild_id}/roles', ({ params }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    return ok({
      guild_id: guildId,
      roles: [...(world.guilds.rolesOf(guildId)?.values() ?? [])],
      role_num_limit: '32',
    });
  });

  router.add('POST /guilds/{guild_id}/roles', ({ params, body }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    const fields = roleFields(body);
    const role: Role = {
      id: nextRoleId(guildId),
      name: fields.name ?? 'New Role',
      color: fields.color ?? 4278245297,
      hoist: fields.hoist ?? 0,
      number: 0,
      member_limit: 1000,
    };
    world.guilds.rolesOf(guildId)?.set(role.id, role);
    return ok({ role_id: role.id, role });
  });

  router.add('PATCH /guilds/{guild_id}/roles/{role_id}', ({ params, body }) => {
    const guildId = params['guild_id'] ?? '';
    const role = requireRole(world, guildId, params['role_id'] ?? '');
    if (isSystemRole(role.id))
      throw new RestError(400, ErrorCode.RequestInvalid, `system role ${role.id} cannot be modified`);
    Object.assign(role, roleFields(body));
    return ok({ guild_id: guildId, role_id: role.id, role });
  });

  router.add('DELETE /guilds/{guild_id}/roles/{role_id}', ({ params }) => {
    const guildId = params['guild_id'] ?? '';
    const role = requireRole(world, guildId, params['role_id'] ?? '');
    if (isSystemRole(role.id))
      throw new RestError(400, ErrorCode.RequestInvalid, `system role ${role.id} cannot be deleted`);
    world.guilds.rolesOf(guildId)?.delete(role.id);
    for (const member of world.guilds.memberRecords(guildId))
      member.roles = member.roles.filter((id) => id !== role.id);
    return noContent();
  });

  const channelOf = (raw: unknown, guildId: string, roleId: string): void => {
    const channel = optionalObject(bodyObject(raw), 'channel');
    if (roleId === CHANNEL_ADMIN_ROLE && typeof channel?.['id'] !== 'string') {
      throw new RestError(
        400,
        ErrorCode.RequestInvalid,
        'field "channel.id" is required for the channel admin role (5)',
      );
    }
    if (typeof channel?.['id'] === 'string' && requireChannel(world, channel['id']).guild_id !== guildId) {
      throw new RestError(
        400,
        ErrorCode.RequestInvalid,
        'field "channel.id" names a channel of another guild',
      );
    }
  };

  router.add('PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}', ({ params, body }) => {
    const guildId = params['guild_id'] ?? '';
    const role = requireRole(world, guildId, params['role_id'] ?? '');
    const member = requireMember(world, guildId, params['user_id'] ?? '');
    channelOf(body, guildId, role.id);
    if (!member.roles.includes(role.id)) member.roles.push(role.id);
    return noContent();
  });

  router.add('DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}', ({ params, body }) => {
    const guildId = params['guild_id'] ?? '';
    const role = requireRole(world, guildId, params['role_id'] ?? '');
    const member = requireMember(world, guildId, params['user_id'] ?? '');
    channelOf(body, guildId, role.id);
    member.roles = member.roles.filter((id) => id !== role.id);
    return noContent();
  });
};
