import {
  type ChannelPermissions,
  optionalDecimalString,
  requireObject,
  type UpdateChannelPermissionsBody,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody } from '../endpoint.js';

/** Channel permissions of members and roles. */
export const permissionEndpoints = {
  getForMember: endpoint('GET', Routes.memberPermissions).returns<ChannelPermissions>(),
  updateForMember: endpoint('PUT', Routes.memberPermissions, { request: jsonBody(validateUpdate) }),
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
