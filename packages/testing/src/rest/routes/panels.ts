import type { JsonObject } from '../../util/guards.js';
import { isoTimestamp } from '../../util/time.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalObject, optionalString, optionalStringArray, queryInteger } from '../fields.js';
import type { RouteModule } from '../RestDeps.js';
import { invalidField, RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

// Command panels as the official SDK describes them (docs/protocol.md §14): the platform's pages
// say nothing of panels, so every rule here is the SDK's word.

const SCOPES: ReadonlySet<string> = new Set(['c2c', 'group', 'channel', 'dm']);
const MAX_ITEMS = 20;
const MAX_NAME_COLUMNS = 14;
const MAX_DESC = 30;
const MAX_REMARK = 255;
const MAX_TARGETS = 20;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 50;
/** Panels one bot may hold before creating more is refused; the SDK names no number. */
const MAX_PANELS = 200;

interface StoredPanel {
  panel_id: string;
  scope: string;
  target_type: 'all' | 'specific';
  panel: JsonObject;
  created_at: string;
  updated_at: string;
  version: number;
  targets: Set<string>;
}

function columns(text: string): number {
  let width = 0;
  for (const char of text) width += (char.codePointAt(0) ?? 0) > 0xff ? 2 : 1;
  return width;
}

/** A panel configuration as stored: entries checked against the SDK's limits. */
function panelConfig(raw: unknown): JsonObject {
  const panel = bodyObject(raw);
  const items = panel['items'];
  if (items !== undefined) {
    if (!Array.isArray(items)) throw invalidField('panel.items', 'must be an array');
    if (items.length > MAX_ITEMS) throw invalidField('panel.items', `must hold at most ${MAX_ITEMS} entries`);
    for (const item of items as unknown[]) {
      const entry = bodyObject(item);
      const name = optionalString(entry, 'name');
      if (name !== undefined && columns(name) > MAX_NAME_COLUMNS)
        throw invalidField('panel.items.name', `must be at most ${MAX_NAME_COLUMNS} columns wide`);
      const desc = optionalString(entry, 'desc');
      if (desc !== undefined && [...desc].length > MAX_DESC)
        throw invalidField('panel.items.desc', `must be at most ${MAX_DESC} characters`);
      const type = entry['type'];
      if (type !== undefined && type !== 'command' && type !== 'link')
        throw invalidField('panel.items.type', 'must be "command" or "link"');
      if (type === 'link' && !/^https?:\/\//.test(optionalString(entry, 'link') ?? ''))
        throw invalidField('panel.items.link', 'must be an http(s) URL for a link entry');
    }
  }
  const remark = optionalString(panel, 'remark');
  if (remark !== undefined && remark.length > MAX_REMARK)
    throw invalidField('panel.remark', `must be at most ${MAX_REMARK} characters`);
  return panel;
}

function targetList(body: JsonObject, field: 'user_openids' | 'group_openids'): string[] | undefined {
  const list = optionalStringArray(body, field);
  if (list !== undefined && (list.length === 0 || list.length > MAX_TARGETS))
    throw invalidField(field, `must list 1–${MAX_TARGETS} openids`);
  return list;
}

/** The record a query answers with; peers only on the detail endpoint. */
function record(stored: StoredPanel, detail: boolean): JsonObject {
  const { targets, ...rest } = stored;
  const out: JsonObject = { ...rest, panel: { ...stored.panel, version: stored.version } };
  if (detail && stored.target_type === 'specific')
    out[stored.scope === 'c2c' ? 'user_openids' : 'group_openids'] = [...targets];
  return out;
}

/** Command panels of the bot: list (paged), get, create, update, delete and target changes. */
export const panelRoutes: RouteModule = (router, { ids }) => {
  // Insertion order is creation order, which is the order pages follow.
  const panels = new Map<string, StoredPanel>();
  const find = (panelId: string): StoredPanel => {
    const stored = panels.get(panelId);
    if (!stored) throw new RestError(404, 404, `panel ${panelId} does not exist`);
    return stored;
  };

  router.add('GET /v2/panels', ({ query }) => {
    const scope = query['scope'] ?? '';
    if (!SCOPES.has(scope))
      throw new RestError(400, ErrorCode.RequestInvalid, 'query "scope" must be c2c, group, channel or dm');
    const limit = queryInteger(query, 'limit', DEFAULT_PAGE, { min: 1, max: MAX_PAGE });
    const start = query['cursor'] ? Number.parseInt(query['cursor'], 36) : 0;
    if (!Number.isInteger(start) || start < 0)
      throw new RestError(400, ErrorCode.RequestInvalid, 'query "cursor" is not a cursor this API gave');
    const matching = [...panels.values()].filter((stored) => stored.scope === scope);
    const page = matching.slice(start, start + limit);
    const end = start + page.length >= matching.length;
    return ok({
      records: page.map((stored) => record(stored, false)),
      next_cursor: end ? '' : (start + page.length).toString(36),
      is_end: end,
    });
  });

  router.add('GET /v2/panels/{panel_id}', ({ params }) => ok(record(find(params['panel_id'] ?? ''), true)));

  router.add('POST /v2/panels', ({ body: raw }) => {
    const body = bodyObject(raw);
    const scope = optionalString(body, 'scope') ?? '';
    if (!SCOPES.has(scope)) throw invalidField('scope', 'must be c2c, group, channel or dm');
    const targetType = body['target_type'] ?? 'all';
    if (targetType !== 'all' && targetType !== 'specific')
      throw invalidField('target_type', 'must be "all" or "specific"');
    if (targetType === 'specific' && scope !== 'c2c' && scope !== 'group')
      throw invalidField('target_type', 'may be "specific" for c2c and group panels only');
    const targets = targetList(body, scope === 'c2c' ? 'user_openids' : 'group_openids') ?? [];
    const panel = panelConfig(optionalObject(body, 'panel') ?? {});
    if (panels.size >= MAX_PANELS) throw new RestError(400, ErrorCode.RequestInvalid, 'too many panels');
    const now = isoTimestamp();
    const stored: StoredPanel = {
      panel_id: ids.opaque(8),
      scope,
      target_type: targetType,
      panel,
      created_at: now,
      updated_at: now,
      version: typeof panel['version'] === 'number' ? panel['version'] : 1,
      targets: new Set(targetType === 'specific' ? targets : []),
    };
    panels.set(stored.panel_id, stored);
    return ok({ panel_id: stored.panel_id });
  });

  router.add('PUT /v2/panels/{panel_id}', ({ params, body: raw }) => {
    const stored = find(params['panel_id'] ?? '');
    stored.panel = panelConfig(optionalObject(bodyObject(raw), 'panel') ?? {});
    stored.version += 1;
    stored.updated_at = isoTimestamp();
    return ok({ version: stored.version });
  });

  router.add('DELETE /v2/panels/{panel_id}', ({ params }) => {
    panels.delete(find(params['panel_id'] ?? '').panel_id);
    return noContent();
  });

  router.add('PUT /v2/panels/{panel_id}/target', ({ params, body: raw }) => {
    const stored = find(params['panel_id'] ?? '');
    if (stored.target_type === 'all')
      throw new RestError(
        400,
        ErrorCode.PanelTargetOnAllPanel,
        'a panel shown to all has no targets to change',
      );
    const body = bodyObject(raw);
    const op = body['op'];
    if (op !== 'add' && op !== 'del') throw invalidField('op', 'must be "add" or "del"');
    const list = targetList(body, stored.scope === 'c2c' ? 'user_openids' : 'group_openids');
    if (list === undefined)
      throw invalidField(stored.scope === 'c2c' ? 'user_openids' : 'group_openids', 'is required');
    for (const openid of list) {
      if (op === 'add') stored.targets.add(openid);
      else stored.targets.delete(openid);
    }
    return noContent();
  });
};
