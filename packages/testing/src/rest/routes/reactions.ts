import type { ReactionKey } from '../../state/MessageStore.js';
import { ErrorCode } from '../errorCodes.js';
import { queryInteger } from '../fields.js';
import { requireChannel } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok, type RestRequest } from '../Router.js';

/** Emoji reactions (表情表态) by the bot, and the users behind a reaction. */
export const reactionRoutes: RouteModule = (router, { world }) => {
  const keyOf = ({ params }: RestRequest): ReactionKey => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const messageId = params['message_id'] ?? '';
    const type = params['emoji_type'] ?? '';
    const emojiId = params['emoji_id'] ?? '';
    if (type !== '1' && type !== '2')
      throw new RestError(400, ErrorCode.ReactionParamInvalid, 'emoji type must be 1 (system) or 2 (emoji)');
    if (!/^\d+$/.test(emojiId))
      throw new RestError(400, ErrorCode.ReactionParamInvalid, 'emoji id must be numeric');
    if (!world.messages.find(messageId, 'guild', channel.id))
      throw new RestError(404, ErrorCode.MessageNotFound, `unknown message ${messageId}`);
    return { channelId: channel.id, messageId, emojiType: Number(type), emojiId };
  };
  const template = '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_type}/{emoji_id}';

  router.add(`PUT ${template}`, (request) => {
    if (!world.messages.addReaction(keyOf(request), world.bot.id))
      throw new RestError(400, ErrorCode.ReactionExists, 'the reaction is already set');
    return noContent();
  });

  router.add(`DELETE ${template}`, (request) => {
    if (!world.messages.removeReaction(keyOf(request), world.bot.id))
      throw new RestError(400, ErrorCode.ReactionMissing, 'the reaction was not set');
    return noContent();
  });

  router.add(`GET ${template}`, (request) => {
    const key = keyOf(request);
    const limit = queryInteger(request.query, 'limit', 20, { min: 1, max: 50 });
    const cookie = request.query['cookie'];
    if (cookie !== undefined && cookie !== '' && !/^\d+$/.test(cookie))
      throw new RestError(
        400,
        ErrorCode.ReactionParamInvalid,
        'query "cookie" is not a cookie this API returned',
      );
    const start = cookie ? Number(cookie) : 0;
    const users = world.messages.reactionUsers(key);
    const page = users.slice(start, start + limit).map((id) => {
      const user = world.guilds.user(id);
      return { id, username: user?.username ?? '', avatar: user?.avatar ?? '' };
    });
    const end = start + page.length;
    return ok({ users: page, cookie: String(end), is_end: end >= users.length });
  });
};
