import {
  type CustomKeyboard,
  isNonBlank,
  isPlainObject,
  ButtonActionType,
  ButtonPermissionType,
} from '@bot/core';
import { KeyboardLimitError } from './KeyboardLimitError.js';
import { linkTargetProblem } from './linkTarget.js';

/** At most this many rows in one inline keyboard [docs] (docs/protocol.md §12). */
export const MAX_KEYBOARD_ROWS = 5;
/** At most this many buttons in one row [docs] (docs/protocol.md §12). */
export const MAX_BUTTONS_PER_ROW = 5;

/**
 * Checks an inline keyboard against the platform's limits: 1–5 rows of 1–5 buttons, button ids
 * unique within the keyboard, a label and action data on each button, a link button's data an
 * http(s) or `mqqapi://` URL, a permission that names who it allows, and the command-only flags (`reply`, `enter`, `anchor`) on command buttons only.
 *
 * @param content - the keyboard's `content`
 * @param field - its name in errors (`keyboard.content`)
 * @throws {@link KeyboardLimitError} naming the rule and the row or button
 */
export function checkKeyboardLimits(content: CustomKeyboard, field: string): void {
  const rows: unknown = content.rows;
  if (!Array.isArray(rows))
    throw new KeyboardLimitError('emptyKeyboard', `${field}.rows`, 'must be an array of rows');
  if (rows.length === 0)
    throw new KeyboardLimitError('emptyKeyboard', `${field}.rows`, 'must hold at least one row of buttons');
  if (rows.length > MAX_KEYBOARD_ROWS) {
    throw new KeyboardLimitError(
      'rows',
      `${field}.rows`,
      `has ${rows.length} rows; the platform allows at most ${MAX_KEYBOARD_ROWS}: merge rows or split the message`,
    );
  }
  const ids = new Set<string>();
  rows.forEach((row: unknown, r) => {
    const rowField = `${field}.rows[${r}]`;
    const buttons: unknown = isPlainObject(row) ? row['buttons'] : undefined;
    if (!Array.isArray(buttons) || buttons.length === 0)
      throw new KeyboardLimitError('emptyRow', `${rowField}.buttons`, 'must hold at least one button');
    if (buttons.length > MAX_BUTTONS_PER_ROW) {
      throw new KeyboardLimitError(
        'buttonsPerRow',
        `${rowField}.buttons`,
        `has ${buttons.length} buttons; the platform allows at most ${MAX_BUTTONS_PER_ROW} per row: start another row`,
      );
    }
    buttons.forEach((button: unknown, b) => checkButton(button, `${rowField}.buttons[${b}]`, ids));
  });
}

function checkButton(button: unknown, field: string, ids: Set<string>): void {
  if (!isPlainObject(button)) throw new KeyboardLimitError('label', field, 'must be a button object');
  const id = button['id'];
  if (id !== undefined) {
    if (typeof id !== 'string' || id === '')
      throw new KeyboardLimitError('duplicateId', `${field}.id`, 'must be a non-empty string');
    if (ids.has(id))
      throw new KeyboardLimitError(
        'duplicateId',
        `${field}.id`,
        `"${id}" is already used: button ids must be unique within a keyboard`,
      );
    ids.add(id);
  }
  const render = isPlainObject(button['render_data']) ? button['render_data'] : {};
  if (!isNonBlank(render['label']))
    throw new KeyboardLimitError('label', `${field}.render_data.label`, 'must not be empty');
  if (!isNonBlank(render['visited_label']))
    throw new KeyboardLimitError('label', `${field}.render_data.visited_label`, 'must not be empty');
  const action = isPlainObject(button['action']) ? button['action'] : {};
  if (!isNonBlank(action['data']))
    throw new KeyboardLimitError('data', `${field}.action.data`, 'must not be empty');
  if (action['type'] === ButtonActionType.Jump) {
    const problem = linkTargetProblem(action['data']);
    if (problem !== undefined) throw new KeyboardLimitError('link', `${field}.action.data`, problem);
  }
  const permission = isPlainObject(action['permission']) ? action['permission'] : {};
  checkPermission(permission, `${field}.action.permission`);
  if (action['type'] !== ButtonActionType.Command) {
    for (const flag of ['reply', 'enter', 'anchor'] as const) {
      if (action[flag] !== undefined)
        throw new KeyboardLimitError(
          'commandOnly',
          `${field}.action.${flag}`,
          'applies to command buttons only',
        );
    }
  }
}

function checkPermission(permission: Record<string, unknown>, field: string): void {
  const type = permission['type'];
  const listed = (key: string) => Array.isArray(permission[key]) && (permission[key] as unknown[]).length > 0;
  if (type === ButtonPermissionType.SpecifiedUsers && !listed('specify_user_ids'))
    throw new KeyboardLimitError(
      'permission',
      `${field}.specify_user_ids`,
      'must list at least one user for a users-only button',
    );
  if (type === ButtonPermissionType.SpecifiedRoles && !listed('specify_role_ids'))
    throw new KeyboardLimitError(
      'permission',
      `${field}.specify_role_ids`,
      'must list at least one role for a roles-only button',
    );
}
