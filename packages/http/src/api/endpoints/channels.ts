import {
  type Channel,
  type ChannelOnlineCount,
  ChannelPrivateType,
  ChannelSpeakPermission,
  ChannelSubType,
  ChannelType,
  type CreateChannelBody,
  optionalId,
  optionalOneOf,
  requireId,
  requireInteger,
  requireObject,
  requireOneOf,
  requireText,
  type UpdateChannelBody,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody } from '../endpoint.js';

const CHANNEL_TYPES = Object.values(ChannelType);
const CHANNEL_SUB_TYPES = Object.values(ChannelSubType);
const PRIVATE_TYPES = Object.values(ChannelPrivateType);
const SPEAK_PERMISSIONS = Object.values(ChannelSpeakPermission);
/** The docs' lowest position for a new category (docs/protocol.md §8.12). */
const MIN_CATEGORY_POSITION = 2;

/** Channels of guilds. */
export const channelEndpoints = {
  list: endpoint('GET', Routes.guildChannels).returns<Channel[]>(),
  get: endpoint('GET', Routes.channel).returns<Channel>(),
  create: endpoint('POST', Routes.guildChannels, { request: jsonBody(validateCreate) }).returns<Channel>(),
  update: endpoint('PATCH', Routes.channel, { request: jsonBody(validateUpdate) }).returns<Channel>(),
  delete: endpoint('DELETE', Routes.channel),
  getOnlineCount: endpoint('GET', Routes.channelOnlineNums).returns<ChannelOnlineCount>(),
};

function validateCreate(body: CreateChannelBody): void {
  requireObject(body, 'body');
  requireText(body.name, 'body.name');
  requireOneOf(body.type, 'body.type', CHANNEL_TYPES);
  optionalOneOf(body.sub_type, 'body.sub_type', CHANNEL_SUB_TYPES);
  const lowest = body.type === ChannelType.Category ? MIN_CATEGORY_POSITION : 0;
  requireInteger(body.position, 'body.position', lowest, Number.MAX_SAFE_INTEGER);
  optionalId(body.parent_id, 'body.parent_id');
  optionalOneOf(body.private_type, 'body.private_type', PRIVATE_TYPES);
  optionalIdArray(body.private_user_ids, 'body.private_user_ids');
  optionalOneOf(body.speak_permission, 'body.speak_permission', SPEAK_PERMISSIONS);
  optionalId(body.application_id, 'body.application_id');
}

function validateUpdate(body: UpdateChannelBody): void {
  requireObject(body, 'body');
  if (Object.values(body).every((value) => value === undefined)) {
    throw new ValidationError('body', 'must change at least one field');
  }
  if (body.name !== undefined) requireText(body.name, 'body.name');
  if (body.position !== undefined) requireInteger(body.position, 'body.position', 0, Number.MAX_SAFE_INTEGER);
  optionalId(body.parent_id, 'body.parent_id');
  optionalOneOf(body.private_type, 'body.private_type', PRIVATE_TYPES);
  optionalOneOf(body.speak_permission, 'body.speak_permission', SPEAK_PERMISSIONS);
}

/** An array of ids when given; empty is let through, as the docs set no lower bound. */
function optionalIdArray(value: unknown, field: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new ValidationError(field, 'must be an array of ids');
  // An index loop, not forEach, so a hole in the array is refused too.
  for (let index = 0; index < value.length; index++) requireId(value[index], `${field}[${index}]`);
}
