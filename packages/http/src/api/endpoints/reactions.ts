import {
  type Emoji,
  EmojiType,
  optionalId,
  optionalInteger,
  type ReactionUsers,
  type ReactionUsersQuery,
  requireId,
  requireObject,
  requireOneOf,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts, type RouteParams } from '../endpoint.js';

const EMOJI_TYPES = Object.values(EmojiType);
/** The emoji's half of the path is named after the argument it comes from. */
const fields = { type: 'emoji.type', id: 'emoji.id' };

/** Emoji reactions. */
export const reactionEndpoints = {
  add: endpoint('PUT', Routes.reaction, { fields }),
  remove: endpoint('DELETE', Routes.reaction, { fields }),
  listUsers: endpoint('GET', Routes.reaction, {
    fields,
    request: reactionUsersQuery,
  }).returns<ReactionUsers>(),
};

/**
 * The path values of a reaction, checked in argument order; the emoji's type must be a known one.
 *
 * @param channelId - the channel
 * @param messageId - the message
 * @param emoji - `type` and `id`
 */
export function reactionParams(
  channelId: string,
  messageId: string,
  emoji: Emoji,
): RouteParams<typeof Routes.reaction> {
  const channel = requireId(channelId, 'channelId');
  const message = requireId(messageId, 'messageId');
  requireObject(emoji, 'emoji');
  const type = requireOneOf(emoji.type, 'emoji.type', EMOJI_TYPES);
  return {
    channel_id: channel,
    message_id: message,
    type: String(type),
    id: requireId(emoji.id, 'emoji.id'),
  };
}

function reactionUsersQuery(query: ReactionUsersQuery): RequestParts {
  requireObject(query, 'query');
  const cookie = optionalId(query.cookie, 'query.cookie');
  const limit = optionalInteger(query.limit, 'query.limit', 1, 50);
  return { query: { cookie, limit } };
}
