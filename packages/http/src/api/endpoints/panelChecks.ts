import {
  type CreatePanelBody,
  optionalBoolean,
  optionalInteger,
  optionalOneOf,
  type Panel,
  type PanelListQuery,
  type PanelTargetBody,
  requireHttpUrl,
  requireObject,
  requireOneOf,
  ValidationError,
} from '@bot/core';

// The limits of command panels as the official SDK states them (docs/protocol.md §14); the
// platform's own pages say nothing of panels, so these are checked before sending rather than
// trusted to a round trip.

/** Scopes a panel may have. */
export const PANEL_SCOPES = ['c2c', 'group', 'channel', 'dm'] as const;
/** At most this many entries per panel. */
export const MAX_PANEL_ITEMS = 20;
/** At most this many columns in an entry's name (a CJK character takes two). */
export const MAX_PANEL_NAME_COLUMNS = 14;
/** At most this many characters in an entry's description. */
export const MAX_PANEL_DESC = 30;
/** At most this many characters in a panel's remark. */
export const MAX_PANEL_REMARK = 255;
/** At most this many openids per call. */
export const MAX_PANEL_TARGETS = 20;
/** At most this many panels per list page. */
export const MAX_PANEL_PAGE = 50;

/**
 * Columns a name takes in the panel: two for a character outside Latin-1 (CJK and emoji), one
 * otherwise. An approximation of the SDK's "a CJK character counts as two".
 *
 * @param text - the name
 */
export function panelColumns(text: string): number {
  let columns = 0;
  for (const char of text) columns += (char.codePointAt(0) ?? 0) > 0xff ? 2 : 1;
  return columns;
}

/**
 * Checks a panel's configuration against the SDK's limits.
 *
 * @param panel - the configuration
 * @param field - its name in errors
 * @throws {@link ValidationError} naming the entry or field
 */
export function checkPanel(panel: Panel, field: string): void {
  requireObject(panel, field);
  const items: unknown = panel.items;
  if (items !== undefined) {
    if (!Array.isArray(items)) throw new ValidationError(`${field}.items`, 'must be an array');
    if (items.length > MAX_PANEL_ITEMS)
      throw new ValidationError(
        `${field}.items`,
        `has ${items.length} entries; at most ${MAX_PANEL_ITEMS} are allowed`,
      );
    items.forEach((item: unknown, index) => checkItem(item, `${field}.items[${index}]`));
  }
  if (
    panel.remark !== undefined &&
    (typeof panel.remark !== 'string' || panel.remark.length > MAX_PANEL_REMARK)
  )
    throw new ValidationError(
      `${field}.remark`,
      `must be a string of at most ${MAX_PANEL_REMARK} characters`,
    );
  optionalInteger(panel.version, `${field}.version`, 0);
}

function checkItem(raw: unknown, field: string): void {
  const item = requireObject(raw, field);
  const type = optionalOneOf(item['type'], `${field}.type`, ['command', 'link']);
  const name = item['name'];
  if (name !== undefined && (typeof name !== 'string' || panelColumns(name) > MAX_PANEL_NAME_COLUMNS))
    throw new ValidationError(
      `${field}.name`,
      `must be at most ${MAX_PANEL_NAME_COLUMNS} columns wide (a CJK character takes two)`,
    );
  const desc = item['desc'];
  if (desc !== undefined && (typeof desc !== 'string' || [...desc].length > MAX_PANEL_DESC))
    throw new ValidationError(`${field}.desc`, `must be at most ${MAX_PANEL_DESC} characters`);
  optionalBoolean(item['only_admin'], `${field}.only_admin`);
  if (type === 'link') requireHttpUrl(item['link'], `${field}.link`);
  else if (item['link'] !== undefined)
    throw new ValidationError(`${field}.link`, 'belongs to link entries only');
}

/**
 * Checks a new panel: a known scope, `specific` targets only for C2C and group panels, and the
 * openid list that matches the scope.
 *
 * @param body - the panel to create
 * @param field - its name in errors
 */
export function checkCreatePanel(body: CreatePanelBody, field: string): void {
  requireObject(body, field);
  const scope = requireOneOf(body.scope, `${field}.scope`, PANEL_SCOPES);
  const target = optionalOneOf(body.target_type, `${field}.target_type`, ['all', 'specific']);
  if (target === 'specific' && scope !== 'c2c' && scope !== 'group')
    throw new ValidationError(`${field}.target_type`, 'may be "specific" only for c2c and group panels');
  checkTargets(body, scope, target === 'specific', field);
  checkPanel(body.panel, `${field}.panel`);
}

/**
 * Checks a change of a panel's peers: `add` or `del`, one openid list of at most 20.
 *
 * @param body - the change
 * @param field - its name in errors
 */
export function checkPanelTarget(body: PanelTargetBody, field: string): void {
  requireObject(body, field);
  requireOneOf(body.op, `${field}.op`, ['add', 'del']);
  const lists = [body.user_openids, body.group_openids].filter((list) => list !== undefined);
  if (lists.length !== 1)
    throw new ValidationError(field, 'must carry exactly one of user_openids and group_openids');
  checkOpenidList(body.user_openids, `${field}.user_openids`);
  checkOpenidList(body.group_openids, `${field}.group_openids`);
}

/**
 * Checks a list query: a known scope and a page size of 1–50.
 *
 * @param query - the query
 */
export function checkPanelQuery(query: PanelListQuery): void {
  requireObject(query, 'query');
  requireOneOf(query.scope, 'query.scope', PANEL_SCOPES);
  optionalInteger(query.limit, 'query.limit', 1, MAX_PANEL_PAGE);
  if (query.cursor !== undefined && typeof query.cursor !== 'string')
    throw new ValidationError('query.cursor', 'must be a string');
}

function checkTargets(body: CreatePanelBody, scope: string, specific: boolean, field: string): void {
  const own = scope === 'c2c' ? 'user_openids' : 'group_openids';
  for (const key of ['user_openids', 'group_openids'] as const) {
    if (body[key] === undefined) continue;
    if (!specific || key !== own)
      throw new ValidationError(
        `${field}.${key}`,
        `belongs only to a specific ${key === 'user_openids' ? 'c2c' : 'group'} panel`,
      );
    checkOpenidList(body[key], `${field}.${key}`);
  }
}

function checkOpenidList(list: unknown, field: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_PANEL_TARGETS)
    throw new ValidationError(field, `must list 1–${MAX_PANEL_TARGETS} openids`);
  list.forEach((id: unknown, index) => {
    if (typeof id !== 'string' || id === '')
      throw new ValidationError(`${field}[${index}]`, 'must be a non-empty openid');
  });
}
