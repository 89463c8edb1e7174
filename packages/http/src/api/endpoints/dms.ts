import { type CreateDmsBody, type DmsSession, type Message, requireId, requireObject } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody } from '../endpoint.js';
import { guildMessageRequest, recallQuery } from './guildMessageRequest.js';

/** Guild direct messages. */
export const dmEndpoints = {
  createSession: endpoint('POST', Routes.dmSessions, {
    request: jsonBody(validateSession),
  }).returns<DmsSession>(),
  send: endpoint('POST', Routes.dmMessages, {
    request: guildMessageRequest,
    auditable: true,
    messageField: 'params',
  }).returns<Message>(),
  recall: endpoint('DELETE', Routes.dmMessage, { request: recallQuery }),
};

function validateSession(body: CreateDmsBody): void {
  requireObject(body, 'body');
  requireId(body.recipient_id, 'body.recipient_id');
  requireId(body.source_guild_id, 'body.source_guild_id');
}
