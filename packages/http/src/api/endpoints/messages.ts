import { type Message, optionalId, optionalInteger, requireObject, ValidationError } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts } from '../endpoint.js';
import { guildMessageRequest, recallQuery } from './guildMessageRequest.js';

/** Most messages one page of a channel's history holds (docs/protocol.md §8.11). */
export const MAX_MESSAGE_PAGE = 20;

/**
 * Query of `GET /channels/{channel_id}/messages`: a page of a channel's history next to one
 * message (at most one of `around`, `before` and `after`), or the latest messages without any.
 */
export interface ChannelMessageListQuery {
  /** Messages on both sides of this message id. */
  around?: string | undefined;
  /** Messages older than this message id. */
  before?: string | undefined;
  /** Messages newer than this message id. */
  after?: string | undefined;
  /** Page size, 1 to {@link MAX_MESSAGE_PAGE}. */
  limit?: number | undefined;
}

/** Guild channel messages. */
export const messageEndpoints = {
  list: endpoint('GET', Routes.channelMessages, { request: messageListQuery }).returns<Message[]>(),
  // The platform wraps this one answer in `{ message }`; `MessagesApi.get` unwraps it.
  get: endpoint('GET', Routes.channelMessage).returns<Message | { message: Message }>(),
  send: endpoint('POST', Routes.channelMessages, {
    request: guildMessageRequest,
    auditable: true,
    messageField: 'params',
  }).returns<Message>(),
  edit: endpoint('PATCH', Routes.channelMessage, {
    request: guildMessageRequest,
    messageField: 'params',
  }).returns<Message>(),
  recall: endpoint('DELETE', Routes.channelMessage, { request: recallQuery }),
};

function messageListQuery(query: ChannelMessageListQuery): RequestParts {
  requireObject(query, 'query');
  const around = optionalId(query.around, 'query.around');
  const before = optionalId(query.before, 'query.before');
  const after = optionalId(query.after, 'query.after');
  // The platform reads one anchor; which one it would pick from several is not documented.
  if ([around, before, after].filter((anchor) => anchor !== undefined).length > 1) {
    throw new ValidationError('query', 'must set at most one of around, before and after');
  }
  const limit = optionalInteger(query.limit, 'query.limit', 1, MAX_MESSAGE_PAGE);
  return { query: { around, before, after, limit } };
}
