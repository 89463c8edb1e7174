import {
  type CreateRoleResult,
  DefaultRoleId,
  type GuildRoles,
  type MemberRoleBody,
  optionalId,
  optionalInteger,
  optionalOneOf,
  requireId,
  requireObject,
  requireText,
  type RoleBody,
  type UpdateRoleResult,
  ValidationError,
} from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** Guild roles and role membership: `api.roles`. */
export class RolesApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Lists a guild's roles (`GET /guilds/{guild_id}/roles`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async list(guildId: string, options?: CallOptions): Promise<GuildRoles> {
    return this.#rest.request<GuildRoles>({
      method: 'GET',
      route: Routes.guildRoles,
      params: { guild_id: requireId(guildId, 'guildId') },
      ...callControls(options),
    });
  }

  /**
   * Creates a role (`POST /guilds/{guild_id}/roles`).
   *
   * @param guildId - the guild
   * @param body - at least one of `name`, `color`, `hoist`
   * @param options - signal and timeout
   */
  public async create(guildId: string, body: RoleBody, options?: CallOptions): Promise<CreateRoleResult> {
    const guild = requireId(guildId, 'guildId');
    validateRoleBody(body);
    return this.#rest.request<CreateRoleResult>({
      method: 'POST',
      route: Routes.guildRoles,
      params: { guild_id: guild },
      body,
      ...callControls(options),
    });
  }

  /**
   * Changes a role (`PATCH /guilds/{guild_id}/roles/{role_id}`).
   *
   * @param guildId - the guild
   * @param roleId - the role
   * @param body - at least one of `name`, `color`, `hoist`
   * @param options - signal and timeout
   */
  public async update(
    guildId: string,
    roleId: string,
    body: RoleBody,
    options?: CallOptions,
  ): Promise<UpdateRoleResult> {
    const params = { guild_id: requireId(guildId, 'guildId'), role_id: requireId(roleId, 'roleId') };
    validateRoleBody(body);
    return this.#rest.request<UpdateRoleResult>({
      method: 'PATCH',
      route: Routes.guildRole,
      params,
      body,
      ...callControls(options),
    });
  }

  /**
   * Deletes a role (`DELETE /guilds/{guild_id}/roles/{role_id}`).
   *
   * @param guildId - the guild
   * @param roleId - the role
   * @param options - signal and timeout
   */
  public async delete(guildId: string, roleId: string, options?: CallOptions): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.guildRole,
      params: { guild_id: requireId(guildId, 'guildId'), role_id: requireId(roleId, 'roleId') },
      ...callControls(options),
    });
  }

  /**
   * Gives a member a role (`PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}`).
   *
   * @param guildId - the guild
   * @param userId - the member's user id
   * @param roleId - the role
   * @param channelId - the channel, required for the channel-admin role (`5`) only
   * @param options - signal and timeout
   */
  public async addMember(
    guildId: string,
    userId: string,
    roleId: string,
    channelId?: string,
    options?: CallOptions,
  ): Promise<void> {
    await this.#memberRole('PUT', guildId, userId, roleId, channelId, options);
  }

  /**
   * Takes a role from a member (`DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}`).
   *
   * @param guildId - the guild
   * @param userId - the member's user id
   * @param roleId - the role
   * @param channelId - the channel, required for the channel-admin role (`5`) only
   * @param options - signal and timeout
   */
  public async removeMember(
    guildId: string,
    userId: string,
    roleId: string,
    channelId?: string,
    options?: CallOptions,
  ): Promise<void> {
    await this.#memberRole('DELETE', guildId, userId, roleId, channelId, options);
  }

  async #memberRole(
    method: 'PUT' | 'DELETE',
    guildId: string,
    userId: string,
    roleId: string,
    channelId: string | undefined,
    options: CallOptions | undefined,
  ): Promise<void> {
    const params = {
      guild_id: requireId(guildId, 'guildId'),
      user_id: requireId(userId, 'userId'),
      role_id: requireId(roleId, 'roleId'),
    };
    const channel = optionalId(channelId, 'channelId');
    if (params.role_id === DefaultRoleId.ChannelAdmin && channel === undefined) {
      throw new ValidationError('channelId', 'is required for the channel admin role (5)');
    }
    // The body stays a body, on DELETE too; the official SDKs send `{}` when no channel applies.
    const body: MemberRoleBody = channel === undefined ? {} : { channel: { id: channel } };
    await this.#rest.request<unknown>({
      method,
      route: Routes.memberRole,
      params,
      body,
      ...callControls(options),
    });
  }
}

function validateRoleBody(body: RoleBody): void {
  requireObject(body, 'body');
  if (body.name === undefined && body.color === undefined && body.hoist === undefined) {
    throw new ValidationError('body', 'must set at least one of name, color and hoist');
  }
  if (body.name !== undefined) requireText(body.name, 'body.name');
  optionalInteger(body.color, 'body.color', 0, 0xffffffff);
  optionalOneOf(body.hoist, 'body.hoist', [0, 1]);
}
