import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalObject, queryInteger, requiredString } from '../fields.js';
import { sendGuildMessage, recallMessage } from '../guildSend.js';
import { requireChannel, requireGuild } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import type { Message } from '../../protocol/wire.js';
import { ok } from '../Router.js';
import { isoTimestamp } from '../../util/time.js';

/** Most messages one history page holds: the documented ceiling of `limit`, used as its default too. */
const MAX_HISTORY_PAGE = 20;

/** Guild channel messages: history, fetch, send, recall, edit (keyboard messages), setting guide. */
export const channelMessageRoutes: RouteModule = (router, deps) => {
  const { world, ids } = deps;

  router.add('GET /channels/{channel_id}/messages', ({ params, query }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const limit = queryInteger(query, 'limit', MAX_HISTORY_PAGE, { min: 1, max: MAX_HISTORY_PAGE });
    const anchors = (['around', 'before', 'after'] as const).filter((name) => (query[name] ?? '') !== '');
    if (anchors.length > 1)
      throw new RestError(400, ErrorCode.RequestInvalid, 'set at most one of around, before and after');
    // Oldest first, as stored; the page goes out newest first, as the docs' example shows it.
    const history = world.messages
      .inConversation('guild', channel.id)
      .flatMap((stored) => (stored.wire ? [stored.wire] : []));
    const [anchor] = anchors;
    return ok(
      historyPage(history, anchor, anchor === undefined ? '' : (query[anchor] ?? ''), limit).reverse(),
    );
  });

  router.add('GET /channels/{channel_id}/messages/{message_id}', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const message = world.messages.find(params['message_id'] ?? '', 'guild', channel.id);
    if (!message?.wire)
      throw new RestError(404, ErrorCode.MessageNotFound, `unknown message ${params['message_id'] ?? ''}`);
    return ok({ message: message.wire });
  });

  router.add('POST /channels/{channel_id}/messages', (request) => {
    const channel = requireChannel(world, request.params['channel_id'] ?? '');
    return sendGuildMessage(
      deps,
      { scene: 'guild', guildId: channel.guild_id, channelId: channel.id, target: channel.id },
      request,
    );
  });

  router.add('DELETE /channels/{channel_id}/messages/{message_id}', ({ params, query }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    return recallMessage(deps, 'guild', channel.id, params['message_id'] ?? '', query);
  });

  router.add('PATCH /channels/{channel_id}/messages/{message_id}', ({ params, body: raw }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const message = world.messages.find(params['message_id'] ?? '', 'guild', channel.id);
    if (!message?.wire)
      throw new RestError(404, ErrorCode.MessageNotFound, `unknown message ${params['message_id'] ?? ''}`);
    if (!message.fromBot)
      throw new RestError(403, ErrorCode.EditNotOwn, 'only messages the bot sent can be edited');
    if (message.wire.keyboard === undefined)
      throw new RestError(400, ErrorCode.EditNeedsKeyboard, 'only messages with a keyboard can be edited');
    const keyboard = optionalObject(bodyObject(raw), 'keyboard');
    if (!keyboard)
      throw new RestError(
        400,
        ErrorCode.EditKeyboardEmpty,
        'field "keyboard" must not be empty when editing',
      );
    message.wire.keyboard = keyboard;
    message.keyboard = keyboard;
    return ok(message.wire);
  });

  router.add('POST /channels/{channel_id}/settingguide', ({ params, body: raw }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const body = bodyObject(raw);
    const jumpGuildId =
      body['jump_guild_id'] === undefined ? channel.guild_id : requiredString(body, 'jump_guild_id');
    requireGuild(world, jumpGuildId);
    return ok({
      id: ids.guildMessageId(),
      channel_id: channel.id,
      guild_id: channel.guild_id,
      timestamp: isoTimestamp(),
    });
  });
};

/**
 * The slice of a channel's history (oldest first) one page covers: the latest `limit` messages
 * without an anchor; those just older or just newer than the anchor; or a window with the anchor
 * in its middle for `around`.
 */
function historyPage(
  history: Message[],
  anchor: 'around' | 'before' | 'after' | undefined,
  anchorId: string,
  limit: number,
): Message[] {
  if (anchor === undefined) return history.slice(-limit);
  const at = history.findIndex((message) => message.id === anchorId);
  if (at < 0) throw new RestError(404, ErrorCode.MessageNotFound, `unknown message ${anchorId}`);
  if (anchor === 'before') return history.slice(Math.max(0, at - limit), at);
  if (anchor === 'after') return history.slice(at + 1, at + 1 + limit);
  const start = Math.max(0, Math.min(at - Math.floor((limit - 1) / 2), history.length - limit));
  return history.slice(start, start + limit);
}
