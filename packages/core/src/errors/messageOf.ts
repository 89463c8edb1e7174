import { inspect } from 'node:util';

/** Longest text {@link messageOf} makes of a thrown value that is not an `Error`. */
const MAX_THROWN_TEXT = 500;

/**
 * What went wrong, in words, for a message of our own that names its cause: an `Error`'s message,
 * or anything else thrown (a string as it is, an object by its fields rather than as
 * `[object Object]`), at most 500 characters. Never throws, not even for a value `String()` cannot
 * convert (an object without a prototype, a `toString` that throws): a report of a failure must
 * not fail itself.
 *
 * @param thrown - whatever was thrown or rejected with
 */
export function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  let text: string;
  try {
    text = typeof thrown === 'string' ? thrown : inspect(thrown, { depth: 2, breakLength: Infinity });
  } catch {
    return 'a thrown value that cannot be shown';
  }
  return text.length > MAX_THROWN_TEXT ? `${text.slice(0, MAX_THROWN_TEXT)}…` : text;
}
