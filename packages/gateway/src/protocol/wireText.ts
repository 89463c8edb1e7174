/**
 * Words for values read off the wire, for error messages and log lines. A frame's fields may be
 * anything JSON can hold: a string of megabytes, an array nested thousands deep (which
 * `JSON.stringify` cannot walk without overflowing the stack). These never copy or walk more than
 * a short, fixed amount of such a value.
 */

/** Characters of a string shown before it is cut. */
const PREVIEW_CHARS = 32;

/** Names up to this length are shown whole. */
const NAME_CHARS = 64;

/** `text` cut to its first {@link PREVIEW_CHARS} characters, quoted and escaped as JSON. */
function preview(text: string): string {
  const shown = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  return JSON.stringify(shown);
}

/**
 * Describes a value from the wire by its type and size, with at most a short preview: `7`,
 * `null`, `a string of 3 characters "bad"`, `an array of 2 items`, `an object`. Reads no deeper
 * than the value's top level.
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
 * A name from the wire (an event name, an event id) fit for a message: whole when it is short and
 * plain, otherwise a quoted preview with its length.
 *
 * @param name - the name as received
 */
export function wireName(name: string): string {
  // Plain: word characters and a few separators; anything else is quoted so it cannot pass for
  // the message's own text (a line break, a quote).
  if (name.length <= NAME_CHARS && /^[\w.:-]+$/.test(name)) return name;
  return name.length <= NAME_CHARS ? JSON.stringify(name) : `${preview(name)} (${name.length} characters)`;
}

/** Characters of free text (an error's message) shown before it is cut. */
const TEXT_CHARS = 200;

/**
 * Free text that may hold values from the wire (an error's message), cut to a fixed length with
 * the length it had.
 *
 * @param text - the text
 */
export function wireText(text: string): string {
  return text.length <= TEXT_CHARS ? text : `${text.slice(0, TEXT_CHARS)}… (${text.length} characters)`;
}
