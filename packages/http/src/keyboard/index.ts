export { KeyboardBuilder } from './KeyboardBuilder.js';
export { RowBuilder, type ButtonOptions, type CommandButtonOptions } from './RowBuilder.js';
export { ButtonPermissions } from './buttonPermission.js';
export { KeyboardLimitError, type KeyboardRule } from './KeyboardLimitError.js';
export { checkKeyboardLimits, MAX_KEYBOARD_ROWS, MAX_BUTTONS_PER_ROW } from './keyboardRules.js';
export { markdownTemplate, type TemplateValue } from './markdownTemplate.js';
export { LINK_SCHEMES } from './linkTarget.js';
