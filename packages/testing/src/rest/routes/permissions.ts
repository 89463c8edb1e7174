import type { PermissionSubject } from '../../state/GuildStore.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalString, optionalStringArray } from '../fields.js';
import { requireChannel, requireMember, requireRole } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

/** Channel permission bits: view (1), manage (2), speak (4), live (8). */
const KNOWN_BITS = 0b1111n;
/** Most members one batch update names (docs/protocol.md §8.13). */
const MAX_BATCH_USERS = 50;

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

/** The ids of a batch update: 1 to {@link MAX_BATCH_USERS} strings. */
function readUserIds(body: Record<string, unknown>): string[] {
  const userIds = optionalStringArray(body, 'user_ids');
  if (userIds === undefined || userIds.length === 0 || userIds.length > MAX_BATCH_USERS)
    throw new RestError(
      400,
      ErrorCode.PermissionParamInvalid,
      `field "user_ids" must list 1 to ${MAX_BATCH_USERS} user ids`,
    );
  return userIds;
}

/** Per-channel permission overrides for members and roles. */
export const permissionRoutes: RouteModule = (router, { world }) => {
  const change = (channelId: string, subject: PermissionSubject, add: bigint, remove: bigint): void => {
    const current = BigInt(world.guilds.permissions(channelId, subject));
    // A bit in both add and remove ends up revoked, as the docs say.
    world.guilds.setPermissions(channelId, subject, (current | add) & ~remove);
  };
  const update = (channelId: string, subject: PermissionSubject, raw: unknown): void => {
    const body = bodyObject(raw);
    change(channelId, subject, readBits(body, 'add'), readBits(body, 'remove'));
  };

  router.add('PUT /channels/{channel_id}/permissions', ({ params, body: raw }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const body = bodyObject(raw);
    const add = readBits(body, 'add');
    const remove = readBits(body, 'remove');
    const userIds = readUserIds(body);
    // Every id is checked before any is changed: a refused batch changes nothing.
    for (const userId of userIds) requireMember(world, channel.guild_id, userId);
    for (const userId of userIds) change(channel.id, { kind: 'member', id: userId }, add, remove);
    return noContent();
  });

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
