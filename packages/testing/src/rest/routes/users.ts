import { compareIds } from '../../state/GuildStore.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, queryInteger, requiredString } from '../fields.js';
import { requireMember } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { ok } from '../Router.js';

/** `/users/@me`, the bot's guild list, and opening DM sessions. */
export const userRoutes: RouteModule = (router, { world, ids }) => {
  router.add('GET /users/@me', () => {
    const { id, username, avatar } = world.bot;
    return ok({ id, username, avatar, union_openid: `U${id}`, union_user_account: '' });
  });

  router.add('GET /users/@me/guilds', ({ query }) => {
    const limit = queryInteger(query, 'limit', 100, { min: 1, max: 100 });
    const { before, after } = query;
    let guilds = world.guilds.allGuilds();
    // With both present, `after` wins (the platform documents the same precedence).
    if (after) {
      guilds = guilds.filter((g) => compareIds(g.id, after) > 0).slice(0, limit);
    } else if (before) {
      guilds = guilds.filter((g) => compareIds(g.id, before) < 0).slice(-limit);
    } else {
      guilds = guilds.slice(0, limit);
    }
    return ok(guilds);
  });

  router.add('POST /users/@me/dms', ({ body: raw }) => {
    const body = bodyObject(raw);
    const recipientId = requiredString(body, 'recipient_id');
    const sourceGuildId = requiredString(body, 'source_guild_id');
    requireMember(world, sourceGuildId, recipientId);
    if (recipientId === world.bot.id)
      throw new RestError(400, ErrorCode.RequestInvalid, 'the bot cannot open a DM with itself');
    const existing = world.dms.byUser(recipientId, sourceGuildId);
    if (existing) return ok(existing.session);
    const session = {
      guild_id: ids.snowflake(),
      channel_id: ids.snowflake(),
      create_time: Math.floor(Date.now() / 1000).toString(),
    };
    world.dms.add({ session, userId: recipientId, sourceGuildId });
    return ok(session);
  });
};
