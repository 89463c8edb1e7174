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
 * A run of user mentions (separated by spaces or tabs) with the spaces or tabs on either side: a
 * line break is never part of it, so removing a run keeps the lines as the user wrote them.
 */
const MENTION_RUN = /([^\S\r\n]*)<@!?[^>\s]+>(?:[^\S\r\n]*<@!?[^>\s]+>)*([^\S\r\n]*)/g;

/**
 * Content with every user mention removed and the ends trimmed: what a command parser wants. Only
 * the whitespace a removed mention leaves behind goes with it (`<@!bot> !ping` → `!ping`,
 * `ask <@!bot> now` → `ask now`); line breaks, indentation and the spacing between other words
 * stay, so a multi-line command or a code block reads as written. Give it the content as received
 * (a model's `rawContent`), then unescape: in unescaped content, a `<@!id>` the user typed
 * (received as `&lt;@!id&gt;`) looks like a mention.
 *
 * @param content - content as received
 */
export function stripMentions(content: string): string {
  return content
    .replace(MENTION_RUN, (run: string, before: string, after: string, offset: number) => {
      const end = offset + run.length;
      // Ending a line, the spaces around it would only trail that line.
      if (end === content.length || content[end] === '\n' || content[end] === '\r') return '';
      // Starting a line, the spaces before it are the line's indentation; those after it separated it.
      if (offset === 0 || content[offset - 1] === '\n' || content[offset - 1] === '\r') return before;
      // Between two words, one side's spacing still separates them.
      return before || after;
    })
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
