import {
  type Announces,
  AnnouncesType,
  type CreateGuildAnnounceBody,
  optionalId,
  optionalOneOf,
  requireId,
  requireObject,
  requireText,
  ValidationError,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody, type RequestParts } from '../endpoint.js';

const ANNOUNCES_TYPES = Object.values(AnnouncesType);

/** Guild and channel announcements. */
export const announceEndpoints = {
  createForGuild: endpoint('POST', Routes.guildAnnounces, {
    request: jsonBody(validateGuildAnnounce),
  }).returns<Announces>(),
  deleteForGuild: endpoint('DELETE', Routes.guildAnnounce),
  createForChannel: endpoint('POST', Routes.channelAnnounces, {
    request: channelAnnounceBody,
  }).returns<Announces>(),
  deleteForChannel: endpoint('DELETE', Routes.channelAnnounce),
};

function channelAnnounceBody(messageId: string): RequestParts {
  return { body: { message_id: requireId(messageId, 'messageId') } };
}

function validateGuildAnnounce(body: CreateGuildAnnounceBody): void {
  requireObject(body, 'body');
  optionalOneOf(body.announces_type, 'body.announces_type', ANNOUNCES_TYPES);
  if (optionalId(body.message_id, 'body.message_id') !== undefined) {
    requireId(body.channel_id, 'body.channel_id');
    return;
  }
  const channels: unknown = body.recommend_channels;
  if (!Array.isArray(channels) || channels.length === 0 || channels.length > 3) {
    throw new ValidationError('body', 'must set message_id (with channel_id) or 1 to 3 recommend_channels');
  }
  channels.forEach((channel: unknown, index) => {
    const field = `body.recommend_channels[${index}]`;
    const object = requireObject(channel, field);
    requireId(object['channel_id'], `${field}.channel_id`);
    requireText(object['introduce'], `${field}.introduce`);
  });
}
