/** How much of a text a refusal quotes by default. */
const QUOTED_LENGTH = 40;

/**
 * `value`, as another thread posted it, as a refusal may show it: a text quoted and cut to
 * `max` characters, a number, boolean, bigint or symbol as JavaScript writes it, anything else by
 * its kind only. Never converts an object: one whose `toString` is not a function makes
 * `String()` throw, and a text is cut so a huge value cannot make a huge message.
 *
 * @param value - what the thread posted
 * @param max - how many characters of a text to show at most
 */
export function quotedValue(value: unknown, max = QUOTED_LENGTH): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
  }
}
