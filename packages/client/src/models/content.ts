const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * Undoes the platform's escaping of inbound content (`&amp;`, `&lt;`, `&gt;`). A single pass, so
 * `&amp;lt;` becomes `&lt;` (the user typed that text), not `<`.
 *
 * @param content - content as received
 */
export function unescapeContent(content: string): string {
  return content.replace(/&(?:amp|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** Ids of users mentioned as `<@!id>` (or `<@id>`) in content. */
export function userMentionIds(content: string): string[] {
  return [...content.matchAll(/<@!?([^>\s]+)>/g)].map((match) => match[1]!);
}

/** Ids of channels mentioned as `<#id>` in content. */
export function channelMentionIds(content: string): string[] {
  return [...content.matchAll(/<#([^>\s]+)>/g)].map((match) => match[1]!);
}

/**
 * Content with every user mention removed and the rest trimmed: what a command parser wants. Give
 * it the content as received (a model's `rawContent`), then unescape: in unescaped content, a
 * `<@!id>` the user typed (received as `&lt;@!id&gt;`) looks like a mention.
 */
export function stripMentions(content: string): string {
  return content
    .replace(/<@!?[^>\s]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Parses a platform timestamp (RFC 3339 text or Unix seconds) into a `Date`; `undefined` when
 * absent or neither a string nor a number.
 */
export function toDate(value: string | number | undefined): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  // Anything else the wire may hold (an object, `null`) is no time: read lazily, it must not throw.
  if (typeof value !== 'string' || value === '') return undefined;
  const numeric = Number(value);
  return Number.isFinite(numeric) && /^\d+$/.test(value) ? new Date(numeric * 1000) : new Date(value);
}
