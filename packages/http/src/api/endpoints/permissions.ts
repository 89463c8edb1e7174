import {
  type ChannelPermissions,
  optionalDecimalString,
  requireIdList,
  requireObject,
  type UpdateChannelPermissionsBody,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody } from '../endpoint.js';

/** Most members one batch permission update names (docs/protocol.md §8.13). */
export const MAX_PERMISSION_USERS = 50;

/**
 * Body of `PUT /channels/{channel_id}/permissions`: the same grant and revocation for several
 * members of the channel's guild at once.
 */
export interface UpdateMembersPermissionsBody extends UpdateChannelPermissionsBody {
  /** The members' user ids, 1 to {@link MAX_PERMISSION_USERS}. */
  user_ids: string[];
}

/** Channel permissions of members and roles. */
export const permissionEndpoints = {
  getForMember: endpoint('GET', Routes.memberPermissions).returns<ChannelPermissions>(),
  updateForMember: endpoint('PUT', Routes.memberPermissions, { request: jsonBody(validateUpdate) }),
  updateForMembers: endpoint('PUT', Routes.channelPermissions, {
    request: jsonBody(validateMembersUpdate),
  }),
  getForRole: endpoint('GET', Routes.rolePermissions).returns<ChannelPermissions>(),
  updateForRole: endpoint('PUT', Routes.rolePermissions, { request: jsonBody(validateUpdate) }),
};

function validateUpdate(body: UpdateChannelPermissionsBody): void {
  requireObject(body, 'body');
  if (body.add === undefined && body.remove === undefined) {
    throw new ValidationError('body', 'must set add or remove');
  }
  optionalDecimalString(body.add, 'body.add');
  optionalDecimalString(body.remove, 'body.remove');
}

function validateMembersUpdate(body: UpdateMembersPermissionsBody): void {
  validateUpdate(body);
  const userIds: unknown = body.user_ids;
  // Counted before the ids are read one by one, so a huge list is refused at once.
  if (Array.isArray(userIds) && userIds.length > MAX_PERMISSION_USERS) {
    throw new ValidationError(
      'body.user_ids',
      `must name at most ${MAX_PERMISSION_USERS} members, got ${userIds.length}: split them over several calls`,
    );
  }
  requireIdList(userIds, 'body.user_ids');
}
