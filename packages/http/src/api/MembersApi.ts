import type { RestClient } from '../rest/RestClient.js';
import {
  type DeleteHistoryMsgDays,
  type Member,
  type MemberListQuery,
  optionalBoolean,
  optionalId,
  optionalInteger,
  optionalOneOf,
  type RemoveMemberBody,
  requireId,
  requireObject,
  type RoleMemberListQuery,
  type RoleMemberPage,
} from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** `0` recalls nothing, `-1` everything; other spans are fixed by the platform. */
const HISTORY_DAYS: readonly DeleteHistoryMsgDays[] = [0, 3, 7, 15, 30, -1];

/** Guild members: `api.members`. */
export class MembersApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
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
    const guild = requireId(guildId, 'guildId');
    requireObject(query, 'query');
    const after = optionalId(query.after, 'query.after');
    const limit = optionalInteger(query.limit, 'query.limit', 1, 400);
    return this.#rest.request<Member[]>({
      method: 'GET',
      route: Routes.guildMembers,
      params: { guild_id: guild },
      query: { after, limit },
      ...callControls(options),
    });
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
    const params = { guild_id: requireId(guildId, 'guildId'), role_id: requireId(roleId, 'roleId') };
    requireObject(query, 'query');
    const startIndex = optionalId(query.start_index, 'query.start_index');
    const limit = optionalInteger(query.limit, 'query.limit', 1, 400);
    return this.#rest.request<RoleMemberPage>({
      method: 'GET',
      route: Routes.roleMembers,
      params,
      query: { start_index: startIndex, limit },
      ...callControls(options),
    });
  }

  /**
   * Fetches one member (`GET /guilds/{guild_id}/members/{user_id}`).
   *
   * @param guildId - the guild
   * @param userId - the member's user id
   * @param options - signal and timeout
   */
  public async get(guildId: string, userId: string, options?: CallOptions): Promise<Member> {
    return this.#rest.request<Member>({
      method: 'GET',
      route: Routes.guildMember,
      params: { guild_id: requireId(guildId, 'guildId'), user_id: requireId(userId, 'userId') },
      ...callControls(options),
    });
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
    const params = { guild_id: requireId(guildId, 'guildId'), user_id: requireId(userId, 'userId') };
    if (body !== undefined) {
      requireObject(body, 'body');
      optionalBoolean(body.add_blacklist, 'body.add_blacklist');
      optionalOneOf(body.delete_history_msg_days, 'body.delete_history_msg_days', HISTORY_DAYS);
    }
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.guildMember,
      params,
      ...(body === undefined ? {} : { body }),
      ...callControls(options),
    });
  }
}
