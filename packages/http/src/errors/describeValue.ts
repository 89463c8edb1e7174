import { platformText } from '@bot/core';

/** The most characters of a value's JSON a description quotes. */
const PREVIEW_LIMIT = 40;

/**
 * A value from a parsed answer described for a log line or an error message: its type and the
 * first characters of its JSON (`an array ([[[[…)`, `a string of 5000 characters ("xx…")`),
 * escaped. Never more of the value is read than is quoted, so a deeply nested or huge value (which
 * `JSON.stringify` would overflow the stack on, or copy whole) costs no more than a short one.
 *
 * @param value - a field of an answer, as `JSON.parse` returned it
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const preview = platformText(jsonPreview(value, PREVIEW_LIMIT), PREVIEW_LIMIT * 2);
  if (typeof value === 'string')
    return value.length > PREVIEW_LIMIT
      ? `a string of ${value.length} characters (${preview})`
      : `a string (${preview})`;
  if (Array.isArray(value)) return `an array (${preview})`;
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value} (${preview})`;
}

/**
 * At most `max` characters of `value` written as JSON, then `…` when there was more. The walk stops
 * once more than `max` characters are written: each level of nesting writes at least one, so it
 * never goes deeper than `max + 1`.
 */
function jsonPreview(value: unknown, max: number): string {
  let text = '';
  // Exactly `max` characters may be the whole value: only writing past them proves there is more.
  const write = (part: string): boolean => {
    text += part;
    return text.length <= max;
  };
  const walk = (item: unknown): boolean => {
    if (typeof item === 'string') return write(JSON.stringify(item.slice(0, max)));
    if (typeof item !== 'object' || item === null) return write(String(item));
    if (Array.isArray(item)) {
      if (!write('[')) return false;
      for (let index = 0; index < item.length; index++)
        if ((index > 0 && !write(',')) || !walk(item[index])) return false;
      return write(']');
    }
    if (!write('{')) return false;
    let first = true;
    for (const key in item) {
      if ((!first && !write(',')) || !write(`${JSON.stringify(key.slice(0, max))}:`)) return false;
      first = false;
      if (!walk((item as Record<string, unknown>)[key])) return false;
    }
    return write('}');
  };
  const complete = walk(value);
  return complete && text.length <= max ? text : `${text.slice(0, max)}…`;
}
