import { requireGuild } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { ok } from '../Router.js';

/** Guild details and the guild's message settings. */
export const guildRoutes: RouteModule = (router, { world }) => {
  router.add('GET /guilds/{guild_id}', ({ params }) => ok(requireGuild(world, params['guild_id'] ?? '')));

  router.add('GET /guilds/{guild_id}/message/setting', ({ params }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    return ok({
      disable_create_dm: false,
      disable_push_msg: false,
      channel_ids: world.guilds.channelsOf(guildId).map((c) => c.id),
      channel_push_max_num: 2,
    });
  });
};
