import type { GatewayBotInfo, GatewayInfo } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint } from '../endpoint.js';

/** Gateway URL and session budget. */
export const gatewayEndpoints = {
  get: endpoint('GET', Routes.gateway).returns<GatewayInfo>(),
  getBot: endpoint('GET', Routes.gatewayBot).returns<GatewayBotInfo>(),
};
