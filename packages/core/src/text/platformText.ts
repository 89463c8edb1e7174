/** How many characters of a platform-sent text an error or a log line quotes by default. */
export const PLATFORM_TEXT_LIMIT = 500;

/**
 * Characters written as escapes: C0 and C1 controls, DEL, the Unicode line and paragraph
 * separators, and the bidirectional overrides, any of which could end a log line, forge another one
 * (U+009B opens a terminal escape as ESC does) or make a quoted text read differently from what was
 * sent. `JSON.stringify` escapes only the C0 controls.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const EVERY_UNSAFE = new RegExp(UNSAFE.source, 'g');
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A text the platform sent (an error `message`, a `trace_id`), made safe to quote in an error
 * message or a log line: control and line-breaking characters written as escapes (`\n`,
 * `\u001b`), and at most `max` characters long, ending `… (N more characters)` when cut. A cut
 * never splits an escape or a surrogate pair.
 *
 * @param value - the text as received
 * @param max - the longest result, in UTF-16 code units (`500` by default)
 */
export function platformText(value: string, max: number = PLATFORM_TEXT_LIMIT): string {
  if (value.length <= max && !UNSAFE.test(value)) return value;
  // Each piece: one code point as written, and how many code units it took in `value`.
  const pieces: Array<{ written: string; original: number }> = [];
  let length = 0;
  for (const char of value) {
    const written = UNSAFE.test(char) ? escape(char) : char;
    if (length + written.length > max) return cut(pieces, length, value.length, max);
    pieces.push({ written, original: char.length });
    length += written.length;
  }
  return pieces.map((piece) => piece.written).join('');
}

/**
 * `text` quoted as a JSON string literal with every character {@link platformText} escapes written
 * as an escape too, so nothing in it can end a log line, start a terminal escape or pass for the
 * surrounding message's own words. Not cut: callers cut first.
 *
 * @example
 * ```ts
 * quotedText('a\nb\u009b2J'); // '"a\\nb\\u009b2J"'
 * ```
 *
 * @param text - the text as received
 */
export function quotedText(text: string): string {
  return JSON.stringify(text).replace(EVERY_UNSAFE, escape);
}

/** The first pieces, as many as fit in `max` with the count of the characters left out. */
function cut(
  pieces: Array<{ written: string; original: number }>,
  length: number,
  total: number,
  max: number,
): string {
  let kept = length;
  let consumed = pieces.reduce((sum, piece) => sum + piece.original, 0);
  let suffix = `… (${total - consumed} more characters)`;
  while (pieces.length > 0 && kept + suffix.length > max) {
    const last = pieces.pop()!;
    kept -= last.written.length;
    consumed -= last.original;
    suffix = `… (${total - consumed} more characters)`;
  }
  // A `max` too small for any suffix gets the suffix cut: still bounded.
  return (pieces.map((piece) => piece.written).join('') + suffix).slice(0, max);
}

/** The escape of one unsafe character. */
function escape(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
