import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalBoolean, optionalInteger, queryInteger } from '../fields.js';
import { requireGuild, requireMember, requireRole } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';
import { compareIds } from '../../state/GuildStore.js';

/** `delete_history_msg_days` values the platform accepts (0 keeps history). */
const HISTORY_DAYS: ReadonlySet<number> = new Set([0, 3, 7, 15, 30, -1]);

/** Member listing, role member listing, member details and removal. */
export const memberRoutes: RouteModule = (router, { world, events }) => {
  router.add('GET /guilds/{guild_id}/members', ({ params, query }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    const limit = queryInteger(query, 'limit', 1, { min: 1, max: 400 });
    const after = query['after'] ?? '0';
    const records = world.guilds.memberRecords(guildId).filter((m) => compareIds(m.userId, after) > 0);
    return ok(
      records.slice(0, limit).map((m) => ({ ...world.guilds.memberWire(guildId, m), guild_id: guildId })),
    );
  });

  router.add('GET /guilds/{guild_id}/roles/{role_id}/members', ({ params, query }) => {
    const guildId = params['guild_id'] ?? '';
    const roleId = params['role_id'] ?? '';
    requireRole(world, guildId, roleId);
    const start = queryInteger(query, 'start_index', 0, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const limit = queryInteger(query, 'limit', 1, { min: 1, max: 400 });
    const holders = world.guilds
      .memberRecords(guildId)
      .filter((m) => roleId === '1' || m.roles.includes(roleId));
    const page = holders.slice(start, start + limit);
    return ok({
      data: page.map((m) => world.guilds.memberWire(guildId, m)),
      next: String(start + page.length),
    });
  });

  router.add('GET /guilds/{guild_id}/members/{user_id}', ({ params }) => {
    const guildId = params['guild_id'] ?? '';
    const member = requireMember(world, guildId, params['user_id'] ?? '');
    return ok({ ...world.guilds.memberWire(guildId, member), guild_id: guildId });
  });

  router.add('DELETE /guilds/{guild_id}/members/{user_id}', ({ params, body: raw }) => {
    const guildId = params['guild_id'] ?? '';
    const userId = params['user_id'] ?? '';
    const member = requireMember(world, guildId, userId);
    const body = bodyObject(raw);
    optionalBoolean(body, 'add_blacklist');
    const days = optionalInteger(body, 'delete_history_msg_days') ?? 0;
    if (!HISTORY_DAYS.has(days)) {
      throw new RestError(
        400,
        ErrorCode.RequestInvalid,
        'field "delete_history_msg_days" must be one of 3, 7, 15, 30, -1 (or 0)',
      );
    }
    if (userId === world.bot.id)
      throw new RestError(400, ErrorCode.RequestInvalid, 'the bot cannot remove itself');
    world.guilds.removeMember(guildId, userId);
    events.publish(
      'GUILD_MEMBER_REMOVE',
      { ...world.guilds.memberWire(guildId, member), guild_id: guildId, op_user_id: world.bot.id },
      { guildId },
    );
    return noContent();
  });
};
