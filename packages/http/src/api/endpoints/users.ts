import {
  type Guild,
  type GuildListQuery,
  optionalId,
  optionalInteger,
  requireObject,
  type User,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts } from '../endpoint.js';

/** The bot's own account. */
export const userEndpoints = {
  me: endpoint('GET', Routes.me).returns<User>(),
  guilds: endpoint('GET', Routes.myGuilds, { request: guildListQuery }).returns<Guild[]>(),
};

function guildListQuery(query: GuildListQuery): RequestParts {
  requireObject(query, 'query');
  const before = optionalId(query.before, 'query.before');
  const after = optionalId(query.after, 'query.after');
  if (before !== undefined && after !== undefined) {
    throw new ValidationError('query', 'must not set both before and after');
  }
  const limit = optionalInteger(query.limit, 'query.limit', 1, 100);
  return { query: { before, after, limit } };
}
