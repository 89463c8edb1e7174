import {
  type MuteBody,
  type MuteMembersBody,
  type MuteMembersResult,
  optionalDecimalString,
  requireId,
  requireIdList,
  requireObject,
  ValidationError,
} from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

/** Muting a whole guild or some of its members: `api.mutes`. The bot must be an admin. */
export class MutesApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Mutes every non-admin member of a guild (`PATCH /guilds/{guild_id}/mute`); `"0"` lifts it.
   *
   * @param guildId - the guild
   * @param body - `mute_end_timestamp` (Unix seconds) or `mute_seconds`, as decimal strings
   * @param options - signal and timeout
   */
  public async muteGuild(guildId: string, body: MuteBody, options?: CallOptions): Promise<void> {
    const guild = requireId(guildId, 'guildId');
    validateMuteBody(body);
    await this.#rest.request<unknown>({
      method: 'PATCH',
      route: Routes.guildMute,
      params: { guild_id: guild },
      body,
      ...callControls(options),
    });
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
    const guild = requireId(guildId, 'guildId');
    validateMuteBody(body);
    requireIdList(body.user_ids, 'body.user_ids');
    return this.#rest.request<MuteMembersResult>({
      method: 'PATCH',
      route: Routes.guildMute,
      params: { guild_id: guild },
      body,
      ...callControls(options),
    });
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
    const params = { guild_id: requireId(guildId, 'guildId'), user_id: requireId(userId, 'userId') };
    validateMuteBody(body);
    await this.#rest.request<unknown>({
      method: 'PATCH',
      route: Routes.memberMute,
      params,
      body,
      ...callControls(options),
    });
  }
}

function validateMuteBody(body: MuteBody): void {
  requireObject(body, 'body');
  if (body.mute_end_timestamp === undefined && body.mute_seconds === undefined) {
    throw new ValidationError('body', 'must set mute_end_timestamp or mute_seconds');
  }
  optionalDecimalString(body.mute_end_timestamp, 'body.mute_end_timestamp');
  optionalDecimalString(body.mute_seconds, 'body.mute_seconds');
}
