/**
 * The URL schemes a link button (action type 0) may open. The button page says "http, or a scheme
 * the client recognizes"; the only such scheme the platform's pages name is `mqqapi`
 * (docs/protocol.md §12.1). Any other scheme (`javascript:`, `data:`, `file:`, …) would hand the
 * client something the platform never promised to open, so it is refused before sending.
 */
export const LINK_SCHEMES: readonly string[] = ['http:', 'https:', 'mqqapi:'];

/** What a link button takes, as its refusals say it. */
export const LINK_TARGETS = "an http://, https:// or mqqapi:// URL, such as 'https://example.com/docs'";

/**
 * Why `url` cannot be the target of a link button, or `undefined` when it can: a full URL of one of
 * {@link LINK_SCHEMES}, with a host for http(s).
 *
 * @param url - the button's `action.data`
 * @returns the problem as a phrase ("must be …, got …"), or `undefined`
 */
export function linkTargetProblem(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return `must be ${LINK_TARGETS}`;
  // The string goes out as written, and how the user's client reads it is not documented: only
  // one that every URL parser reads alike is accepted, a scheme, `//` and something after it,
  // with no whitespace or control character that a lenient parser would drop.
  const parsed = SPELLED_LINK.test(url) && URL.canParse(url) ? new URL(url) : undefined;
  if (parsed !== undefined && LINK_SCHEMES.includes(parsed.protocol)) return undefined;
  const hint = !url.includes('://') && URL.canParse(`https://${url}`) ? `: write 'https://${url}'` : '';
  return `must be ${LINK_TARGETS}, got ${JSON.stringify(url.slice(0, 200))}${hint}`;
}

/** A scheme, `//`, then at least one character, none of them whitespace or a control character. */
const SPELLED_LINK = /^[a-z][a-z0-9+.-]*:\/\/[^\s\p{Cc}]+$/iu;
