import type { ChannelPermissions, UpdateChannelPermissionsBody } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { permissionEndpoints } from './endpoints/permissions.js';

/** Channel permissions of members and roles: `api.permissions`. */
export class PermissionsApi {
  readonly #endpoints: BoundEndpoints<typeof permissionEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, permissionEndpoints);
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
    return this.#endpoints.getForMember({ channel_id: channelId, user_id: userId }, options);
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
    await this.#endpoints.updateForMember({ channel_id: channelId, user_id: userId }, body, options);
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
    return this.#endpoints.getForRole({ channel_id: channelId, role_id: roleId }, options);
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
    await this.#endpoints.updateForRole({ channel_id: channelId, role_id: roleId }, body, options);
  }
}
