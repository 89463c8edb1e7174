import { type Message, requireId, requireObject, type SettingGuideBody } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody, type RequestParts } from '../endpoint.js';

/** Setting guide messages. */
export const settingGuideEndpoints = {
  sendToChannel: endpoint('POST', Routes.channelSettingGuide, {
    request: jsonBody((body: SettingGuideBody) => requireObject(body, 'body')),
  }).returns<Message>(),
  sendToDm: endpoint('POST', Routes.dmSettingGuide, { request: dmGuideBody }).returns<Message>(),
};

function dmGuideBody(jumpGuildId: string): RequestParts {
  const body: SettingGuideBody = { setting_guide: { guild_id: requireId(jumpGuildId, 'jumpGuildId') } };
  return { body };
}
