import {
  type DeleteHistoryMsgDays,
  type Member,
  type MemberListQuery,
  optionalBoolean,
  optionalId,
  optionalInteger,
  optionalOneOf,
  type RemoveMemberBody,
  requireObject,
  type RoleMemberListQuery,
  type RoleMemberPage,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts } from '../endpoint.js';

/** `0` recalls nothing, `-1` everything; other spans are fixed by the platform. */
const HISTORY_DAYS: readonly DeleteHistoryMsgDays[] = [0, 3, 7, 15, 30, -1];

/** Guild members. */
export const memberEndpoints = {
  list: endpoint('GET', Routes.guildMembers, { request: memberListQuery }).returns<Member[]>(),
  listByRole: endpoint('GET', Routes.roleMembers, { request: roleMemberListQuery }).returns<RoleMemberPage>(),
  get: endpoint('GET', Routes.guildMember).returns<Member>(),
  remove: endpoint('DELETE', Routes.guildMember, { request: removeBody }),
};

function memberListQuery(query: MemberListQuery): RequestParts {
  requireObject(query, 'query');
  const after = optionalId(query.after, 'query.after');
  const limit = optionalInteger(query.limit, 'query.limit', 1, 400);
  return { query: { after, limit } };
}

function roleMemberListQuery(query: RoleMemberListQuery): RequestParts {
  requireObject(query, 'query');
  const startIndex = optionalId(query.start_index, 'query.start_index');
  const limit = optionalInteger(query.limit, 'query.limit', 1, 400);
  return { query: { start_index: startIndex, limit } };
}

function removeBody(body: RemoveMemberBody | undefined): RequestParts {
  if (body === undefined) return {};
  requireObject(body, 'body');
  optionalBoolean(body.add_blacklist, 'body.add_blacklist');
  optionalOneOf(body.delete_history_msg_days, 'body.delete_history_msg_days', HISTORY_DAYS);
  return { body };
}
