/**
 * Words for values read off the wire, for error messages and log lines. A frame's fields may be
 * anything JSON can hold: a string of megabytes, an array nested thousands deep (which
 * `JSON.stringify` cannot walk without overflowing the stack). These never copy or walk more than
 * a short, fixed amount of such a value, and quote text with {@link quotedText}.
 */
import { quotedText } from './platformText.js';

/** Characters of a string shown before it is cut. */
const PREVIEW_CHARS = 32;

/** Names up to this length are shown whole. */
const NAME_CHARS = 64;

/** `text` cut to its first {@link PREVIEW_CHARS} characters, quoted and escaped. */
function preview(text: string): string {
  return quotedText(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);
}

/**
 * Describes a value from the wire by its type and size, with at most a short preview: `7`,
 * `null`, `a string of 3 characters "bad"`, `an array of 2 items`, `an object`. Reads no deeper
 * than the value's top level.
 *
 * @example
 * ```ts
 * describeWireValue('x\n'); // 'a string of 2 characters "x\\n"'
 * ```
 *
 * @param value - any value parsed from JSON (or `undefined` for a missing field)
 */
export function describeWireValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'none';
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return `a string of ${value.length} character${value.length === 1 ? '' : 's'} ${preview(value)}`;
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
      return `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
  }
}

/**
 * A name from the wire (an event's `t`, its `id`) fit for a log line or an error message: whole
 * when it is short and plain, otherwise quoted with every control, line-breaking and bidirectional
 * character escaped, and cut with its length said when long. The platform's text may hold
 * anything, a line break included, which written raw would end the log line and let the rest pass
 * for another one. A name that is not a string (a field the sender got wrong) is described as
 * {@link describeWireValue} does, never read further.
 *
 * @example
 * ```ts
 * wireName('AT_MESSAGE_CREATE'); // 'AT_MESSAGE_CREATE'
 * wireName('a\nb'); // '"a\\nb"'
 * ```
 *
 * @param name - the name as received
 */
export function wireName(name: unknown): string {
  if (typeof name !== 'string') return describeWireValue(name);
  // Plain: word characters and a few separators; anything else is quoted so it cannot pass for
  // the message's own text (a line break, a quote).
  if (name.length <= NAME_CHARS && /^[\w.:-]+$/.test(name)) return name;
  return name.length <= NAME_CHARS ? quotedText(name) : `${preview(name)} (${name.length} characters)`;
}
