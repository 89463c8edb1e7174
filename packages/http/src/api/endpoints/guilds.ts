import type { Guild, MessageSetting } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint } from '../endpoint.js';

/** Guilds and their message settings. */
export const guildEndpoints = {
  get: endpoint('GET', Routes.guild).returns<Guild>(),
  getMessageSetting: endpoint('GET', Routes.guildMessageSetting).returns<MessageSetting>(),
};
