import type { Message } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint } from '../endpoint.js';
import { guildMessageRequest, recallQuery } from './guildMessageRequest.js';

/** Guild channel messages. */
export const messageEndpoints = {
  // The platform wraps this one answer in `{ message }`; `MessagesApi.get` unwraps it.
  get: endpoint('GET', Routes.channelMessage).returns<Message | { message: Message }>(),
  send: endpoint('POST', Routes.channelMessages, {
    request: guildMessageRequest,
    auditable: true,
  }).returns<Message>(),
  edit: endpoint('PATCH', Routes.channelMessage, { request: guildMessageRequest }).returns<Message>(),
  recall: endpoint('DELETE', Routes.channelMessage, { request: recallQuery }),
};
