import type { CreateRoleResult, GuildRoles, RoleBody, UpdateRoleResult } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { callEndpoint } from './endpoint.js';
import { roleEndpoints } from './endpoints/roles.js';

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
    return callEndpoint(this.#rest, roleEndpoints.list, { guild_id: guildId }, undefined, options);
  }

  /**
   * Creates a role (`POST /guilds/{guild_id}/roles`).
   *
   * @param guildId - the guild
   * @param body - at least one of `name`, `color`, `hoist`
   * @param options - signal and timeout
   */
  public async create(guildId: string, body: RoleBody, options?: CallOptions): Promise<CreateRoleResult> {
    return callEndpoint(this.#rest, roleEndpoints.create, { guild_id: guildId }, body, options);
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
    return callEndpoint(
      this.#rest,
      roleEndpoints.update,
      { guild_id: guildId, role_id: roleId },
      body,
      options,
    );
  }

  /**
   * Deletes a role (`DELETE /guilds/{guild_id}/roles/{role_id}`).
   *
   * @param guildId - the guild
   * @param roleId - the role
   * @param options - signal and timeout
   */
  public async delete(guildId: string, roleId: string, options?: CallOptions): Promise<void> {
    await callEndpoint(
      this.#rest,
      roleEndpoints.delete,
      { guild_id: guildId, role_id: roleId },
      undefined,
      options,
    );
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
    await callEndpoint(
      this.#rest,
      roleEndpoints.addMember,
      { guild_id: guildId, user_id: userId, role_id: roleId },
      { roleId, channelId },
      options,
    );
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
    await callEndpoint(
      this.#rest,
      roleEndpoints.removeMember,
      { guild_id: guildId, user_id: userId, role_id: roleId },
      { roleId, channelId },
      options,
    );
  }
}
