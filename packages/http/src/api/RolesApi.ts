import type { CreateRoleResult, GuildRoles, RoleBody, UpdateRoleResult } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { roleEndpoints } from './endpoints/roles.js';

/** Guild roles and role membership: `api.roles`. */
export class RolesApi {
  readonly #endpoints: BoundEndpoints<typeof roleEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, roleEndpoints);
  }

  /**
   * Lists a guild's roles (`GET /guilds/{guild_id}/roles`).
   *
   * @param guildId - the guild
   * @param options - signal and timeout
   */
  public async list(guildId: string, options?: CallOptions): Promise<GuildRoles> {
    return this.#endpoints.list({ guild_id: guildId }, options);
  }

  /**
   * Creates a role (`POST /guilds/{guild_id}/roles`).
   *
   * @param guildId - the guild
   * @param body - at least one of `name`, `color`, `hoist`
   * @param options - signal and timeout
   */
  public async create(guildId: string, body: RoleBody, options?: CallOptions): Promise<CreateRoleResult> {
    return this.#endpoints.create({ guild_id: guildId }, body, options);
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
    return this.#endpoints.update({ guild_id: guildId, role_id: roleId }, body, options);
  }

  /**
   * Deletes a role (`DELETE /guilds/{guild_id}/roles/{role_id}`).
   *
   * @param guildId - the guild
   * @param roleId - the role
   * @param options - signal and timeout
   */
  public async delete(guildId: string, roleId: string, options?: CallOptions): Promise<void> {
    await this.#endpoints.delete({ guild_id: guildId, role_id: roleId }, options);
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
    await this.#endpoints.addMember(
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
    await this.#endpoints.removeMember(
      { guild_id: guildId, user_id: userId, role_id: roleId },
      { roleId, channelId },
      options,
    );
  }
}
