import { ButtonActionType, isPlainObject } from '@bot/core';

// Plain text rendered from a markdown/keyboard message, for the rich-content fallback
// (docs/protocol.md §11). Links keep their text and lose their URL, and bare URLs are dropped:
// an unregistered URL would get the plain message refused too (code 304003).

/** A URL written out in the text: with a scheme, or starting `www.`. */
const BARE_URL = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)(?:[^\s<>"'\]）】」]*[^\s<>"'\]),.;:!?）】」。，])?/giu;

/**
 * The text of a markdown message and its buttons, for a reader who sees neither: markdown syntax
 * removed, a template's values one per line, each row of buttons as one line of labels (a
 * command button with its command). No URL is left in it, not even a bare one: the platform
 * refuses text with an unregistered URL (code 304003).
 *
 * @param body - the refused send body
 * @returns the text; empty when nothing of the message can be shown as text
 */
export function renderPlainText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const markdown = body['markdown'];
  if (isPlainObject(markdown)) {
    if (typeof markdown['content'] === 'string') parts.push(stripMarkdown(markdown['content']));
    else if (Array.isArray(markdown['params'])) parts.push(templateValues(markdown['params']));
  }
  const keyboard = body['keyboard'];
  if (isPlainObject(keyboard) && isPlainObject(keyboard['content']))
    parts.push(keyboardLines(keyboard['content']));
  return parts
    .map((part) => withoutBareUrls(part).trim())
    .filter((part) => part !== '')
    .join('\n\n');
}

/**
 * Markdown without its syntax: headings, emphasis, quotes, rules and zero-width spaces go,
 * images keep their alt text, links their text.
 *
 * @param markdown - markdown source
 */
export function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/\u200b/g, '')
    .replace(/!\[([^\]]*?)(?:\s+#\d+px)*\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:\/\/[^>]+)>/g, '')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*(?:\*\s*){3,}$|^\s*(?:-\s*){3,}$/gm, '')
    .replace(/(\*\*\*|\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/\n{3,}/g, '\n\n');
}

function templateValues(params: unknown[]): string {
  return params
    .flatMap((param) => (isPlainObject(param) && Array.isArray(param['values']) ? param['values'] : []))
    .filter((value): value is string => typeof value === 'string')
    .map(stripMarkdown)
    .join('\n');
}

function keyboardLines(content: Record<string, unknown>): string {
  const rows = Array.isArray(content['rows']) ? content['rows'] : [];
  return rows
    .map((row: unknown) => {
      const buttons = isPlainObject(row) && Array.isArray(row['buttons']) ? row['buttons'] : [];
      return buttons
        .map(buttonText)
        .filter((text) => text !== '')
        .join(' | ');
    })
    .filter((line) => line !== '')
    .join('\n');
}

function buttonText(button: unknown): string {
  if (!isPlainObject(button)) return '';
  const render = isPlainObject(button['render_data']) ? button['render_data'] : {};
  const action = isPlainObject(button['action']) ? button['action'] : {};
  const label = typeof render['label'] === 'string' ? withoutBareUrls(render['label']).trim() : '';
  const data = typeof action['data'] === 'string' ? action['data'].trim() : '';
  return action['type'] === ButtonActionType.Command && data !== ''
    ? `[${label}] ${data}`
    : label === ''
      ? ''
      : `[${label}]`;
}

/** The text with every written-out URL removed and the spaces it leaves tidied. */
function withoutBareUrls(text: string): string {
  return text
    .replace(BARE_URL, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+$/gm, '');
}
