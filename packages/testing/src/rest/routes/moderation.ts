import type { JsonObject } from '../../util/guards.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalString, optionalStringArray } from '../fields.js';
import { requireGuild, requireMember } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

/**
 * Reads a mute body: `mute_end_timestamp` (unix seconds) or `mute_seconds`, both as strings.
 * Returns the unix milliseconds the mute lasts until (0 lifts it).
 */
function muteUntil(body: JsonObject, now: number): number {
  const end = optionalString(body, 'mute_end_timestamp');
  const seconds = optionalString(body, 'mute_seconds');
  if (end !== undefined && end !== '') {
    if (!/^\d+$/.test(end))
      throw new RestError(
        400,
        ErrorCode.MuteTimestampInvalid,
        'field "mute_end_timestamp" must be unix seconds as a string',
      );
    const until = Number(end) * 1000;
    return until <= now ? 0 : until;
  }
  if (seconds !== undefined && seconds !== '') {
    if (!/^\d+$/.test(seconds))
      throw new RestError(
        400,
        ErrorCode.MuteTimestampInvalid,
        'field "mute_seconds" must be a number of seconds as a string',
      );
    return Number(seconds) === 0 ? 0 : now + Number(seconds) * 1000;
  }
  throw new RestError(400, ErrorCode.MuteTimestampInvalid, 'set "mute_end_timestamp" or "mute_seconds"');
}

/** Guild-wide, batch and single-member mutes. */
export const moderationRoutes: RouteModule = (router, { world }) => {
  router.add('PATCH /guilds/{guild_id}/mute', ({ params, body: raw }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    const body = bodyObject(raw);
    const until = muteUntil(body, Date.now());
    const userIds = optionalStringArray(body, 'user_ids');
    if (userIds === undefined) {
      world.guilds.guildMutedUntil.set(guildId, until);
      return noContent();
    }
    for (const userId of userIds) {
      if (!world.guilds.memberRecord(guildId, userId))
        throw new RestError(
          400,
          ErrorCode.MuteUserInvalid,
          `user ${userId} is not a member of guild ${guildId}`,
        );
    }
    for (const userId of userIds) {
      const member = world.guilds.memberRecord(guildId, userId);
      if (member) member.mutedUntil = until;
    }
    return ok({ user_ids: userIds });
  });

  router.add('PATCH /guilds/{guild_id}/members/{user_id}/mute', ({ params, body }) => {
    const guildId = params['guild_id'] ?? '';
    const member = requireMember(world, guildId, params['user_id'] ?? '');
    member.mutedUntil = muteUntil(bodyObject(body), Date.now());
    return noContent();
  });
};
