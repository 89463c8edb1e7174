import {
  type MuteBody,
  type MuteMembersBody,
  type MuteMembersResult,
  optionalDecimalString,
  requireIdList,
  requireObject,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody } from '../endpoint.js';

/** Guild and member mutes. */
export const muteEndpoints = {
  muteGuild: endpoint('PATCH', Routes.guildMute, { request: jsonBody(validateMuteBody) }),
  muteMembers: endpoint('PATCH', Routes.guildMute, {
    request: jsonBody(validateMuteMembersBody),
  }).returns<MuteMembersResult>(),
  muteMember: endpoint('PATCH', Routes.memberMute, { request: jsonBody(validateMuteBody) }),
};

function validateMuteBody(body: MuteBody): void {
  requireObject(body, 'body');
  if (body.mute_end_timestamp === undefined && body.mute_seconds === undefined) {
    throw new ValidationError('body', 'must set mute_end_timestamp or mute_seconds');
  }
  optionalDecimalString(body.mute_end_timestamp, 'body.mute_end_timestamp');
  optionalDecimalString(body.mute_seconds, 'body.mute_seconds');
}

function validateMuteMembersBody(body: MuteMembersBody): void {
  validateMuteBody(body);
  requireIdList(body.user_ids, 'body.user_ids');
}
