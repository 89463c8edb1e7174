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

/*
 * Mentions are found by hand around a few regexes that each read a character once per search, so
 * reading content costs time linear in its length. One regex per mention (`/<@!?([^>\s]+)>/g`)
 * tried every start inside a run of `<@` openings and read the rest of the run from each, and a
 * leading `[^\S\r\n]*` did the same over a run of blanks: a 64 KiB message took seconds.
 */

/** Where a user mention (`<@`) opens. */
const USER_OPENING = /<@/g;
/** Where a channel mention (`<#`) opens. */
const CHANNEL_OPENING = /<#/g;
/** A mention's id: what follows its opening up to the first `>`, whitespace or the end. */
const ID_RUN = /[^>\s]*/y;
/** Spaces and tabs (any whitespace but a line break), read forward from where it is placed. */
const BLANKS = /[^\S\r\n]*/y;
/** One space or tab (any whitespace but a line break). */
const BLANK = /^[^\S\r\n]$/;
const CLOSE = '>'.charCodeAt(0);
const BANG = '!'.charCodeAt(0);

/**
 * The first whole mention opening (`USER_OPENING` or `CHANNEL_OPENING`) at or after `from`: its
 * start and the index of its closing `>`, the id run between them not empty.
 */
function nextMention(content: string, opening: RegExp, from: number): readonly [number, number] | undefined {
  let at = from;
  for (;;) {
    opening.lastIndex = at;
    if (!opening.test(content)) return undefined;
    const idStart = opening.lastIndex;
    ID_RUN.lastIndex = idStart;
    ID_RUN.test(content);
    const idEnd = ID_RUN.lastIndex;
    if (idEnd > idStart && content.charCodeAt(idEnd) === CLOSE) return [idStart - 2, idEnd];
    // An opening inside this run has an id ending where this one ends, with no `>`: none is a
    // mention, so the search goes on past the run instead of reading it again from each.
    at = idEnd;
  }
}

/** Where the spaces and tabs starting at `from` end. */
function blanksEnd(content: string, from: number): number {
  BLANKS.lastIndex = from;
  BLANKS.test(content);
  return BLANKS.lastIndex;
}

/** Ids of users mentioned as `<@!id>` (or `<@id>`) in content. */
export function userMentionIds(content: string): string[] {
  const ids: string[] = [];
  let found = nextMention(content, USER_OPENING, 0);
  while (found !== undefined) {
    const [start, close] = found;
    // `<@!>` names the user `!`: the bang is an id's first character when nothing else follows.
    const idStart = content.charCodeAt(start + 2) === BANG && close > start + 3 ? start + 3 : start + 2;
    ids.push(content.slice(idStart, close));
    found = nextMention(content, USER_OPENING, close + 1);
  }
  return ids;
}

/** Ids of channels mentioned as `<#id>` in content. */
export function channelMentionIds(content: string): string[] {
  const ids: string[] = [];
  let found = nextMention(content, CHANNEL_OPENING, 0);
  while (found !== undefined) {
    const [start, close] = found;
    ids.push(content.slice(start + 2, close));
    found = nextMention(content, CHANNEL_OPENING, close + 1);
  }
  return ids;
}

/** Whether the character at `index` is a line break (`\n` or `\r`). */
function isLineBreak(content: string, index: number): boolean {
  const character = content[index];
  return character === '\n' || character === '\r';
}

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
  let stripped = '';
  // Content up to here is in `stripped`, or was removed with a run.
  let copied = 0;
  let found = nextMention(content, USER_OPENING, 0);
  while (found !== undefined) {
    // A run: mentions separated by spaces or tabs, with the spaces or tabs on either side. A line
    // break is never part of it, so removing a run keeps the lines as the user wrote them.
    const first = found[0];
    let start = first;
    while (start > copied && BLANK.test(content[start - 1]!)) start--;
    let last = found[1] + 1;
    let end = blanksEnd(content, last);
    found = nextMention(content, USER_OPENING, end);
    while (found !== undefined && found[0] === end) {
      last = found[1] + 1;
      end = blanksEnd(content, last);
      found = nextMention(content, USER_OPENING, end);
    }
    let kept: string;
    // Ending a line, the spaces around it would only trail that line.
    if (end === content.length || isLineBreak(content, end)) kept = '';
    // Starting a line, the spaces before it are the line's indentation; those after it separated it.
    else if (start === 0 || isLineBreak(content, start - 1)) kept = content.slice(start, first);
    // Between two words, one side's spacing still separates them.
    else kept = start < first ? content.slice(start, first) : content.slice(last, end);
    stripped += content.slice(copied, start) + kept;
    copied = end;
  }
  return (stripped + content.slice(copied)).trim();
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
