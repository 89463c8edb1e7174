import type {
  CreatePanelBody,
  CreatePanelResult,
  Panel,
  PanelListQuery,
  PanelListResult,
  PanelRecord,
  PanelTargetBody,
  UpdatePanelResult,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody, type RequestParts } from '../endpoint.js';
import { checkCreatePanel, checkPanel, checkPanelQuery, checkPanelTarget } from './panelChecks.js';

/** Command panels (docs/protocol.md §14: known from the official SDK only). */
export const panelEndpoints = {
  list: endpoint('GET', Routes.panels, { request: listQuery }).returns<PanelListResult>(),
  get: endpoint('GET', Routes.panel).returns<PanelRecord>(),
  create: endpoint('POST', Routes.panels, {
    request: jsonBody((body: CreatePanelBody) => checkCreatePanel(body, 'body')),
  }).returns<CreatePanelResult>(),
  update: endpoint('PUT', Routes.panel, { request: updateBody }).returns<UpdatePanelResult>(),
  delete: endpoint('DELETE', Routes.panel),
  updateTarget: endpoint('PUT', Routes.panelTarget, {
    request: jsonBody((body: PanelTargetBody) => checkPanelTarget(body, 'body')),
  }),
};

function listQuery(query: PanelListQuery): RequestParts {
  checkPanelQuery(query);
  const wire: Record<string, string> = { scope: query.scope };
  if (query.cursor !== undefined && query.cursor !== '') wire['cursor'] = query.cursor;
  if (query.limit !== undefined) wire['limit'] = String(query.limit);
  return { query: wire };
}

// The platform takes the configuration wrapped in `{ panel }`; scope and targets are fixed.
function updateBody(panel: Panel): RequestParts {
  checkPanel(panel, 'panel');
  return { body: { panel } };
}
