import {
  type ApiPermissionDemand,
  type ApiPermissionDemandBody,
  type ApiPermissionList,
  requireId,
  requireObject,
  requireText,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody } from '../endpoint.js';

/** API permissions granted by guilds. */
export const apiPermissionEndpoints = {
  list: endpoint('GET', Routes.apiPermissions).returns<ApiPermissionList>(),
  demand: endpoint('POST', Routes.apiPermissionDemand, {
    request: jsonBody(validateDemand),
  }).returns<ApiPermissionDemand>(),
};

function validateDemand(body: ApiPermissionDemandBody): void {
  requireObject(body, 'body');
  requireId(body.channel_id, 'body.channel_id');
  requireObject(body.api_identify, 'body.api_identify');
  requireText(body.api_identify.path, 'body.api_identify.path');
  requireText(body.api_identify.method, 'body.api_identify.method');
  requireText(body.desc, 'body.desc');
}
