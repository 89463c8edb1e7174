/** Names up to this length are shown whole. */
const NAME_CHARS = 64;

/** Characters of a longer name shown before it is cut. */
const PREVIEW_CHARS = 32;

/**
 * Characters `JSON.stringify` leaves as they are that still end a line or start a terminal escape:
 * DEL and the C1 controls (U+009B opens an escape sequence), the line and paragraph separators, and
 * the bidirectional overrides that make a text read other than it was sent.
 */
const UNESCAPED = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name from the wire (an event's `t`, its `id`) fit for a log line or an error message: whole
 * when it is short and plain, otherwise quoted with every control character escaped, and cut with
 * its length said when long. The platform's text may hold anything, a line break included, which
 * written raw would end the log line and let the rest pass for another one.
 *
 * @param name - the name as received
 */
export function wireName(name: string): string {
  if (name.length <= NAME_CHARS && /^[\w.:-]+$/.test(name)) return name;
  const shown = name.length <= NAME_CHARS ? name : `${name.slice(0, PREVIEW_CHARS)}…`;
  const quoted = JSON.stringify(shown).replace(
    UNESCAPED,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return name.length <= NAME_CHARS ? quoted : `${quoted} (${name.length} characters)`;
}
