import type { ChannelPermissions, UpdateChannelPermissionsBody } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { permissionEndpoints, type UpdateMembersPermissionsBody } from './endpoints/permissions.js';

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
   * Grants and revokes the same permissions for several members of a channel in one call
   * (`PUT /channels/{channel_id}/permissions`; docs/protocol.md §8.13). Only an older page of the
   * platform's docs lists this endpoint: a bot it is not open to gets the platform's refusal as an
   * `ApiError`. A bit set in both `add` and `remove` is revoked.
   *
   * @param channelId - the channel
   * @param body - `add` and/or `remove`, decimal bit sets (see `ChannelPermission`), and `user_ids`,
   *   1 to 50 members of the channel's guild (`MAX_PERMISSION_USERS`)
   * @param options - signal and timeout
   * @throws {@link ValidationError} when an id is empty, neither `add` nor `remove` is set, a bit set
   *   is not a string of decimal digits, or `user_ids` is empty or names more than 50 members
   */
  public async updateForMembers(
    channelId: string,
    body: UpdateMembersPermissionsBody,
    options?: CallOptions,
  ): Promise<void> {
    await this.#endpoints.updateForMembers({ channel_id: channelId }, body, options);
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
