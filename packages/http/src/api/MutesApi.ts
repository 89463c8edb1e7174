import type { MuteBody, MuteMembersBody, MuteMembersResult } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { muteEndpoints } from './endpoints/mutes.js';

/** Muting a whole guild or some of its members: `api.mutes`. The bot must be an admin. */
export class MutesApi {
  readonly #endpoints: BoundEndpoints<typeof muteEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, muteEndpoints);
  }

  /**
   * Mutes every non-admin member of a guild (`PATCH /guilds/{guild_id}/mute`); `"0"` lifts it.
   *
   * @param guildId - the guild
   * @param body - `mute_end_timestamp` (Unix seconds) or `mute_seconds`, as decimal strings
   * @param options - signal and timeout
   */
  public async muteGuild(guildId: string, body: MuteBody, options?: CallOptions): Promise<void> {
    await this.#endpoints.muteGuild({ guild_id: guildId }, body, options);
  }

  /**
   * Mutes several members at once (`PATCH /guilds/{guild_id}/mute` with `user_ids`).
   *
   * @param guildId - the guild
   * @param body - `user_ids`, and `mute_end_timestamp` or `mute_seconds`
   * @param options - signal and timeout
   * @returns the users that were muted
   */
  public async muteMembers(
    guildId: string,
    body: MuteMembersBody,
    options?: CallOptions,
  ): Promise<MuteMembersResult> {
    return this.#endpoints.muteMembers({ guild_id: guildId }, body, options);
  }

  /**
   * Mutes one member (`PATCH /guilds/{guild_id}/members/{user_id}/mute`); `"0"` lifts it.
   *
   * @param guildId - the guild
   * @param userId - the member's user id
   * @param body - `mute_end_timestamp` (Unix seconds) or `mute_seconds`, as decimal strings
   * @param options - signal and timeout
   */
  public async muteMember(
    guildId: string,
    userId: string,
    body: MuteBody,
    options?: CallOptions,
  ): Promise<void> {
    await this.#endpoints.muteMember({ guild_id: guildId, user_id: userId }, body, options);
  }
}
