import {
  type CreateRoleResult,
  DefaultRoleId,
  type GuildRoles,
  type MemberRoleBody,
  optionalId,
  optionalInteger,
  optionalOneOf,
  requireObject,
  requireText,
  type RoleBody,
  type UpdateRoleResult,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody, type RequestParts } from '../endpoint.js';

/** The role and channel of a role grant or withdrawal; the path ids are checked before it. */
export interface MemberRoleInput {
  roleId: string;
  channelId: string | undefined;
}

/** Guild roles and role membership. */
export const roleEndpoints = {
  list: endpoint('GET', Routes.guildRoles).returns<GuildRoles>(),
  create: endpoint('POST', Routes.guildRoles, {
    request: jsonBody(validateRoleBody),
  }).returns<CreateRoleResult>(),
  update: endpoint('PATCH', Routes.guildRole, {
    request: jsonBody(validateRoleBody),
  }).returns<UpdateRoleResult>(),
  delete: endpoint('DELETE', Routes.guildRole),
  addMember: endpoint('PUT', Routes.memberRole, { request: memberRoleBody }),
  removeMember: endpoint('DELETE', Routes.memberRole, { request: memberRoleBody }),
};

function validateRoleBody(body: RoleBody): void {
  requireObject(body, 'body');
  if (body.name === undefined && body.color === undefined && body.hoist === undefined) {
    throw new ValidationError('body', 'must set at least one of name, color and hoist');
  }
  if (body.name !== undefined) requireText(body.name, 'body.name');
  optionalInteger(body.color, 'body.color', 0, 0xffffffff);
  optionalOneOf(body.hoist, 'body.hoist', [0, 1]);
}

function memberRoleBody({ roleId, channelId }: MemberRoleInput): RequestParts {
  const channel = optionalId(channelId, 'channelId');
  if (roleId === DefaultRoleId.ChannelAdmin && channel === undefined) {
    throw new ValidationError('channelId', 'is required for the channel admin role (5)');
  }
  // The body stays a body, on DELETE too; the official SDKs send `{}` when no channel applies.
  const body: MemberRoleBody = channel === undefined ? {} : { channel: { id: channel } };
  return { body };
}
