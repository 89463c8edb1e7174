import type { PinsMessage } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint } from '../endpoint.js';

/** Pinned messages. */
export const pinEndpoints = {
  list: endpoint('GET', Routes.pins).returns<PinsMessage>(),
  pin: endpoint('PUT', Routes.pin).returns<PinsMessage>(),
  unpin: endpoint('DELETE', Routes.pin),
};
