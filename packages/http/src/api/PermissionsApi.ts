import {
  type ChannelPermissions,
  optionalDecimalString,
  requireId,
  requireObject,
  type UpdateChannelPermissionsBody,
  ValidationError,
} from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** Channel permissions of members and roles: `api.permissions`. */
export class PermissionsApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Fetches a member's permissions in a channel (`GET /channels/{channel_id}/members/{user_id}/permissions`).
   *
   * @param channelId - the channel
   * @param userId - the member's user id
   * @param options - signal and timeout
   */
  public async getForMember(
    channelId: string,
    userId: string,
    options?: CallOptions,
  ): Promise<ChannelPermissions> {
    return this.#rest.request<ChannelPermissions>({
      method: 'GET',
      route: Routes.memberPermissions,
      params: { channel_id: requireId(channelId, 'channelId'), user_id: requireId(userId, 'userId') },
      ...callControls(options),
    });
  }

  /**
   * Grants and revokes a member's permissions in a channel (`PUT /channels/{channel_id}/members/{user_id}/permissions`).
   *
   * @param channelId - the channel
   * @param userId - the member's user id
   * @param body - `add` and/or `remove`, decimal bit sets (see `ChannelPermission`)
   * @param options - signal and timeout
   */
  public async updateForMember(
    channelId: string,
    userId: string,
    body: UpdateChannelPermissionsBody,
    options?: CallOptions,
  ): Promise<void> {
    const params = { channel_id: requireId(channelId, 'channelId'), user_id: requireId(userId, 'userId') };
    validateUpdate(body);
    await this.#rest.request<unknown>({
      method: 'PUT',
      route: Routes.memberPermissions,
      params,
      body,
      ...callControls(options),
    });
  }

  /**
   * Fetches a role's permissions in a channel (`GET /channels/{channel_id}/roles/{role_id}/permissions`).
   *
   * @param channelId - the channel
   * @param roleId - the role
   * @param options - signal and timeout
   */
  public async getForRole(
    channelId: string,
    roleId: string,
    options?: CallOptions,
  ): Promise<ChannelPermissions> {
    return this.#rest.request<ChannelPermissions>({
      method: 'GET',
      route: Routes.rolePermissions,
      params: { channel_id: requireId(channelId, 'channelId'), role_id: requireId(roleId, 'roleId') },
      ...callControls(options),
    });
  }

  /**
   * Grants and revokes a role's permissions in a channel (`PUT /channels/{channel_id}/roles/{role_id}/permissions`).
   *
   * @param channelId - the channel
   * @param roleId - the role
   * @param body - `add` and/or `remove`, decimal bit sets (see `ChannelPermission`)
   * @param options - signal and timeout
   */
  public async updateForRole(
    channelId: string,
    roleId: string,
    body: UpdateChannelPermissionsBody,
    options?: CallOptions,
  ): Promise<void> {
    const params = { channel_id: requireId(channelId, 'channelId'), role_id: requireId(roleId, 'roleId') };
    validateUpdate(body);
    await this.#rest.request<unknown>({
      method: 'PUT',
      route: Routes.rolePermissions,
      params,
      body,
      ...callControls(options),
    });
  }
}

function validateUpdate(body: UpdateChannelPermissionsBody): void {
  requireObject(body, 'body');
  if (body.add === undefined && body.remove === undefined) {
    throw new ValidationError('body', 'must set add or remove');
  }
  optionalDecimalString(body.add, 'body.add');
  optionalDecimalString(body.remove, 'body.remove');
}
