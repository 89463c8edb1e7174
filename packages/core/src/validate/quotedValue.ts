import { quotedText } from '../text/platformText.js';

/** How much of a text is quoted by default. */
const QUOTED_LENGTH = 40;

/**
 * `value`, from an untrusted source (another thread, a store, the network), as an error message
 * may show it: a text quoted, escaped as {@link quotedText} does, and cut to `max` characters (a bigint's digits cut alike), a number
 * or a boolean as JavaScript writes it, anything else by its kind only. Never converts an object:
 * one whose `toString` is not a function makes `String()` throw, and a text is cut so a huge value
 * cannot make a huge message.
 *
 * @param value - the value to show
 * @param max - how many characters of a text to show at most
 */
export function quotedValue(value: unknown, max = QUOTED_LENGTH): string {
  switch (typeof value) {
    case 'string':
      return quotedText(value.length > max ? `${value.slice(0, max)}…` : value);
    case 'bigint': {
      const digits = String(value);
      return digits.length > max ? `${digits.slice(0, max)}…` : digits;
    }
    case 'number':
    case 'boolean':
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
