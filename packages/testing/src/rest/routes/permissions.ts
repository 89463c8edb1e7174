import type { PermissionSubject } from '../../state/GuildStore.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalString } from '../fields.js';
import { requireChannel, requireMember, requireRole } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

/** Channel permission bits: view (1), manage (2), speak (4), live (8). */
const KNOWN_BITS = 0b1111n;

function readBits(body: Record<string, unknown>, field: 'add' | 'remove'): bigint {
  const value = optionalString(body, field);
  if (value === undefined || value === '') return 0n;
  if (!/^\d+$/.test(value))
    throw new RestError(
      400,
      ErrorCode.PermissionParamInvalid,
      `field "${field}" must be a decimal string of permission bits`,
    );
  const bits = BigInt(value);
  if ((bits & ~KNOWN_BITS) !== 0n)
    throw new RestError(
      400,
      ErrorCode.PermissionParamInvalid,
      `field "${field}" has unknown permission bits`,
    );
  return bits;
}

/** Per-channel permission overrides for members and roles. */
export const permissionRoutes: RouteModule = (router, { world }) => {
  const update = (channelId: string, subject: PermissionSubject, raw: unknown): void => {
    const body = bodyObject(raw);
    const add = readBits(body, 'add');
    const remove = readBits(body, 'remove');
    const current = BigInt(world.guilds.permissions(channelId, subject));
    world.guilds.setPermissions(channelId, subject, (current | add) & ~remove);
  };

  router.add('GET /channels/{channel_id}/members/{user_id}/permissions', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const userId = params['user_id'] ?? '';
    requireMember(world, channel.guild_id, userId);
    return ok({
      channel_id: channel.id,
      user_id: userId,
      permissions: world.guilds.permissions(channel.id, { kind: 'member', id: userId }),
    });
  });

  router.add('PUT /channels/{channel_id}/members/{user_id}/permissions', ({ params, body }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const userId = params['user_id'] ?? '';
    requireMember(world, channel.guild_id, userId);
    update(channel.id, { kind: 'member', id: userId }, body);
    return noContent();
  });

  router.add('GET /channels/{channel_id}/roles/{role_id}/permissions', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const roleId = params['role_id'] ?? '';
    requireRole(world, channel.guild_id, roleId);
    return ok({
      channel_id: channel.id,
      role_id: roleId,
      permissions: world.guilds.permissions(channel.id, { kind: 'role', id: roleId }),
    });
  });

  router.add('PUT /channels/{channel_id}/roles/{role_id}/permissions', ({ params, body }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const roleId = params['role_id'] ?? '';
    requireRole(world, channel.guild_id, roleId);
    update(channel.id, { kind: 'role', id: roleId }, body);
    return noContent();
  });
};
