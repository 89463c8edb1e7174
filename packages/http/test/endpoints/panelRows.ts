import { row, type EndpointRow } from '../support/endpointTable.js';

const panel = {
  remark: 'my-bot',
  items: [{ type: 'command' as const, name: '/help', desc: 'All commands' }],
};
const stored = {
  panel_id: 'p1',
  scope: 'c2c',
  target_type: 'all',
  panel,
  created_at: '2026-01-01T00:00:00+08:00',
  updated_at: '2026-01-01T00:00:00+08:00',
  version: 1,
};

/** Command panels. */
export const panelRows: EndpointRow[] = [
  row('GET /v2/panels', (api) => api.panels.list({ scope: 'group', cursor: 'c1', limit: 50 }), {
    query: { scope: 'group', cursor: 'c1', limit: '50' },
    reply: { records: [stored], next_cursor: '', is_end: true },
  }),
  row('GET /v2/panels/p1', (api) => api.panels.get('p1'), { reply: stored }),
  row('POST /v2/panels', (api) => api.panels.create({ scope: 'c2c', target_type: 'all', panel }), {
    body: { scope: 'c2c', target_type: 'all', panel },
    reply: { panel_id: 'p1' },
  }),
  row('PUT /v2/panels/p1', (api) => api.panels.update('p1', { ...panel, version: 2 }), {
    body: { panel: { ...panel, version: 2 } },
    reply: { version: 2 },
  }),
  row('DELETE /v2/panels/p1', (api) => api.panels.delete('p1')),
  row(
    'PUT /v2/panels/p1/target',
    (api) => api.panels.updateTarget('p1', { op: 'add', group_openids: ['g1'] }),
    {
      body: { op: 'add', group_openids: ['g1'] },
    },
  ),
];
