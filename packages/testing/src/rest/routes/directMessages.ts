import { ErrorCode } from '../errorCodes.js';
import { recallMessage, sendGuildMessage } from '../guildSend.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { ok } from '../Router.js';
import { isoTimestamp } from '../../util/time.js';
import type { DmRecord } from '../../state/DirectMessageStore.js';

/** Guild direct messages, addressed by the DM session's guild id. */
export const directMessageRoutes: RouteModule = (router, deps) => {
  const { world, ids } = deps;
  const requireDm = (guildId: string): DmRecord => {
    const dm = world.dms.byGuild(guildId);
    if (!dm) throw new RestError(404, ErrorCode.DmNotExist, `no DM session with guild id ${guildId}`);
    return dm;
  };

  router.add('POST /dms/{guild_id}/messages', (request) => {
    const dm = requireDm(request.params['guild_id'] ?? '');
    const { guild_id: guildId, channel_id: channelId } = dm.session;
    return sendGuildMessage(
      deps,
      { scene: 'dm', guildId, channelId, target: guildId, sourceGuildId: dm.sourceGuildId },
      request,
    );
  });

  router.add('DELETE /dms/{guild_id}/messages/{message_id}', ({ params, query }) => {
    const dm = requireDm(params['guild_id'] ?? '');
    return recallMessage(deps, 'dm', dm.session.guild_id, params['message_id'] ?? '', query);
  });

  router.add('POST /dms/{guild_id}/settingguide', ({ params }) => {
    const dm = requireDm(params['guild_id'] ?? '');
    return ok({
      id: ids.guildMessageId(),
      channel_id: dm.session.channel_id,
      guild_id: dm.session.guild_id,
      timestamp: isoTimestamp(),
    });
  });
};
