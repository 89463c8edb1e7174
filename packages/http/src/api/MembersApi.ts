import type {
  Member,
  MemberListQuery,
  RemoveMemberBody,
  RoleMemberListQuery,
  RoleMemberPage,
} from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { memberEndpoints } from './endpoints/members.js';

/** Guild members: `api.members`. */
export class MembersApi {
  readonly #endpoints: BoundEndpoints<typeof memberEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, memberEndpoints);
  }

  /**
   * Lists a guild's members, one page at a time (`GET /guilds/{guild_id}/members`;
   * private-domain bots).
   *
   * @param guildId - the guild
   * @param query - `after` (largest user id seen) and `limit` (1–400)
   * @param options - signal and timeout
   */
  public async list(guildId: string, query: MemberListQuery = {}, options?: CallOptions): Promise<Member[]> {
    return this.#endpoints.list({ guild_id: guildId }, query, options);
  }

  /**
   * Lists the members of a role, one page at a time (`GET /guilds/{guild_id}/roles/{role_id}/members`).
   *
   * @param guildId - the guild
   * @param roleId - the role
   * @param query - `start_index` (the previous page's `next`) and `limit` (1–400)
   * @param options - signal and timeout
   */
  public async listByRole(
    guildId: string,
    roleId: string,
    query: RoleMemberListQuery = {},
    options?: CallOptions,
  ): Promise<RoleMemberPage> {
    return this.#endpoints.listByRole({ guild_id: guildId, role_id: roleId }, query, options);
  }

  /**
   * Fetches one member (`GET /guilds/{guild_id}/members/{user_id}`).
   *
   * @param guildId - the guild
   * @param userId - the member's user id
   * @param options - signal and timeout
   */
  public async get(guildId: string, userId: string, options?: CallOptions): Promise<Member> {
    return this.#endpoints.get({ guild_id: guildId, user_id: userId }, options);
  }

  /**
   * Removes a member from a guild (`DELETE /guilds/{guild_id}/members/{user_id}`), optionally
   * blacklisting them and recalling their recent messages.
   *
   * @param guildId - the guild
   * @param userId - the member's user id
   * @param body - `add_blacklist`, and `delete_history_msg_days` (0, 3, 7, 15, 30 or -1 for all)
   * @param options - signal and timeout
   */
  public async remove(
    guildId: string,
    userId: string,
    body?: RemoveMemberBody,
    options?: CallOptions,
  ): Promise<void> {
    await this.#endpoints.remove({ guild_id: guildId, user_id: userId }, body, options);
  }
}
