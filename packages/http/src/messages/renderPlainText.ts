import { ButtonActionType, isPlainObject } from '@bot/core';

// Plain text rendered from a markdown/keyboard message, for the rich-content fallback
// (docs/protocol.md §11). Links keep their text and lose their URL, and bare URLs are dropped:
// an unregistered URL would get the plain message refused too (code 304003).

/*
 * A URL written out in the text is what
 * `/\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)(?:[^\s<>"'\]）】」]*[^\s<>"'\]),.;:!?）】」。，])?/giu`
 * matched: a scheme or `www.`, then its body up to the last character a URL may end with. That
 * expression went quadratic on text such as `'a.'` repeated (a scheme tried at every letter ran to
 * the end of the run of scheme characters), so {@link withoutBareUrls} scans instead. Under the
 * `iu` flags `\w` and `[a-z]` also take `ſ` (U+017F) and the Kelvin sign (U+212A), which fold to
 * `s` and `k`: the checks below do too.
 */
const SCHEME_CHARS = /[a-z0-9+.-]*/iuy;
const URL_BODY = /[^\s<>"'\]）】」]*/uy;
const NOT_URL_END = /[),.;:!?。，]/u;
const WWW = /www\./iuy;

/** Whether the UTF-16 unit is a letter as `[a-z]` takes it under the `iu` flags. */
function isSchemeStart(code: number): boolean {
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a ? code <= 0x7a : code === 0x17f || code === 0x212a;
}

/** Whether the UTF-16 unit is a word character as `\w` and `\b` take it under the `iu` flags. */
function isWordChar(code: number): boolean {
  return isSchemeStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/**
 * The text of a markdown message and its buttons, for a reader who sees neither: markdown syntax
 * removed, a template's values one per line, each row of buttons as one line of labels (a
 * command button with its command). No URL is left in it, not even a bare one: the platform
 * refuses text with an unregistered URL (code 304003).
 *
 * @param body - the refused send body
 * @returns the text; empty when nothing of the message can be shown as text
 */
export function renderPlainText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const markdown = body['markdown'];
  if (isPlainObject(markdown)) {
    if (typeof markdown['content'] === 'string') parts.push(stripMarkdown(markdown['content']));
    else if (Array.isArray(markdown['params'])) parts.push(templateValues(markdown['params']));
  }
  const keyboard = body['keyboard'];
  if (isPlainObject(keyboard) && isPlainObject(keyboard['content']))
    parts.push(keyboardLines(keyboard['content']));
  return parts
    .map((part) => withoutBareUrls(part).trim())
    .filter((part) => part !== '')
    .join('\n\n');
}

/**
 * Markdown without its syntax: headings, emphasis, quotes, rules and zero-width spaces go,
 * images keep their alt text, links their text.
 *
 * @param markdown - markdown source
 */
export function stripMarkdown(markdown: string): string {
  const links = withoutLinks(withoutImages(markdown.replace(/\u200b/g, '')));
  return withoutRules(
    withoutAutolinks(links)
      .replace(/^\s{0,3}#{1,6}\s+/gm, '')
      .replace(/^\s{0,3}>\s?/gm, ''),
  )
    .replace(/(\*\*\*|\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/\n{3,}/g, '\n\n');
}

// The passes below do what a regular expression each did (kept in the tests as the reference),
// without going quadratic: tried at every `![`, `[`, `<` or line start, those expressions scanned
// to the end of the text for a closing `]`, `)`, `>` or a non-space, on text such as `'!['`
// repeated, and took seconds on 32 K characters of it. Here each start that fails for want of a
// closing character ends the pass, and the ones sharing a closing character are skipped together.

/** `![alt #12px](url)` as its alt text (`/!\[([^\]]*?)(?:\s+#\d+px)*\]\([^)]*\)/g`, `$1`). */
function withoutImages(text: string): string {
  return withoutBracketed(text, '![', withoutSizes);
}

/** `[text](url)` as its text (`/\[([^\]]*)\]\([^)]*\)/g`, `$1`). */
function withoutLinks(text: string): string {
  return withoutBracketed(text, '[', (inner) => inner);
}

/**
 * Each `<opener>inner](url)` replaced by what `keep` makes of its inner text, scanned left to
 * right as the `/g` expressions above matched.
 */
function withoutBracketed(text: string, opener: string, keep: (inner: string) => string): string {
  let out = '';
  let kept = 0;
  for (let from = 0; ;) {
    const start = text.indexOf(opener, from);
    if (start === -1) break;
    const close = text.indexOf(']', start + opener.length);
    if (close === -1) break;
    // Every later start before `close` closes there too, and fails as this one does.
    if (text[close + 1] !== '(') {
      from = close + 1;
      continue;
    }
    const end = text.indexOf(')', close + 2);
    if (end === -1) break;
    out += text.slice(kept, start) + keep(text.slice(start + opener.length, close));
    kept = from = end + 1;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/**
 * Alt text without its trailing ` #12px` sizes: the shortest start of it that leaves only
 * `(?:\s+#\d+px)*`, as the lazy group took it. Read backwards, each position knowing whether
 * what follows it is only sizes.
 */
function withoutSizes(alt: string): string {
  if (!alt.includes('#')) return alt;
  // sizesFrom[i]: alt.slice(i) is a run of sizes. nextSizes[i]: where the size starting at i ends.
  const sizesFrom = new Array<boolean>(alt.length + 1).fill(false);
  sizesFrom[alt.length] = true;
  let spaceEnd = alt.length;
  for (let i = alt.length - 1; i >= 0; i--) {
    if (!/\s/.test(alt[i]!)) {
      spaceEnd = i;
      continue;
    }
    // A size is spaces up to a `#` (the spaces reach exactly it), digits, then `px`.
    if (alt[spaceEnd] !== '#') continue;
    let digit = spaceEnd + 1;
    while (digit < alt.length && alt[digit]! >= '0' && alt[digit]! <= '9') digit++;
    if (digit > spaceEnd + 1 && alt.startsWith('px', digit)) sizesFrom[i] = sizesFrom[digit + 2]!;
  }
  return alt.slice(0, sizesFrom.indexOf(true));
}

/** `<http://…>` removed (`/<(https?:\/\/[^>]+)>/g`). */
function withoutAutolinks(text: string): string {
  let out = '';
  let kept = 0;
  for (let from = 0; ;) {
    const start = text.indexOf('<', from);
    if (start === -1) break;
    const scheme = text.startsWith('http://', start + 1) ? 7 : text.startsWith('https://', start + 1) ? 8 : 0;
    from = start + 1;
    if (scheme === 0) continue;
    const end = text.indexOf('>', start + 1 + scheme);
    if (end === -1) break;
    // At least one character between the scheme and `>`.
    if (end === start + 1 + scheme) continue;
    out += text.slice(kept, start);
    kept = from = end + 1;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/**
 * Rules (`***`, `- - -`) removed with the blank space before them, as
 * `/^\s*(?:\*\s*){3,}$|^\s*(?:-\s*){3,}$/gm` did. That leading `\s*` runs across line breaks,
 * so every line start of a blank stretch reaches the same first non-space character: the rest of
 * the rule is matched once per such character, not once per line start.
 */
function withoutRules(text: string): string {
  const lineBreak = /[\n\r\u2028\u2029]/g;
  const nonSpace = /\S/g;
  const stars = /(?:\*\s*){3,}$/my;
  const dashes = /(?:-\s*){3,}$/my;
  let out = '';
  let kept = 0;
  let first = -1;
  let ruleFrom = -1;
  let ruleEnd = -1;
  for (let at = 0; at <= text.length;) {
    if (at > 0 && !/[\n\r\u2028\u2029]/.test(text[at - 1]!)) {
      lineBreak.lastIndex = at;
      if (lineBreak.exec(text) === null) break;
      at = lineBreak.lastIndex;
      continue;
    }
    if (first < at) {
      nonSpace.lastIndex = at;
      first = nonSpace.exec(text)?.index ?? text.length;
    }
    if (ruleFrom !== first) {
      ruleFrom = first;
      const rest = text[first] === '*' ? stars : text[first] === '-' ? dashes : undefined;
      ruleEnd = -1;
      if (rest !== undefined) {
        rest.lastIndex = first;
        if (rest.test(text)) ruleEnd = rest.lastIndex;
      }
    }
    if (ruleEnd === -1) {
      at++;
      continue;
    }
    out += text.slice(kept, at);
    kept = at = ruleEnd;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

function templateValues(params: unknown[]): string {
  return params
    .flatMap((param) => (isPlainObject(param) && Array.isArray(param['values']) ? param['values'] : []))
    .filter((value): value is string => typeof value === 'string')
    .map(stripMarkdown)
    .join('\n');
}

function keyboardLines(content: Record<string, unknown>): string {
  const rows = Array.isArray(content['rows']) ? content['rows'] : [];
  return rows
    .map((row: unknown) => {
      const buttons = isPlainObject(row) && Array.isArray(row['buttons']) ? row['buttons'] : [];
      return buttons
        .map(buttonText)
        .filter((text) => text !== '')
        .join(' | ');
    })
    .filter((line) => line !== '')
    .join('\n');
}

function buttonText(button: unknown): string {
  if (!isPlainObject(button)) return '';
  const render = isPlainObject(button['render_data']) ? button['render_data'] : {};
  const action = isPlainObject(button['action']) ? button['action'] : {};
  const label = typeof render['label'] === 'string' ? withoutBareUrls(render['label']).trim() : '';
  const data = typeof action['data'] === 'string' ? action['data'].trim() : '';
  return action['type'] === ButtonActionType.Command && data !== ''
    ? `[${label}] ${data}`
    : label === ''
      ? ''
      : `[${label}]`;
}

/**
 * The text with every written-out URL removed (with a scheme, or starting `www.`) and the spaces
 * it leaves tidied. Linear in the text's length: each run of scheme characters is scanned once,
 * however many letters in it are tried as a start.
 *
 * @param text - plain text, markdown already removed
 * @returns the text without its URLs
 */
export function withoutBareUrls(text: string): string {
  let out = '';
  let kept = 0;
  // Where the run of scheme characters last scanned ends: a scheme tried at any letter inside
  // it reaches the same end, so the run is scanned once.
  let runEnd = -1;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    // `\b` then a letter: a word character here, none before.
    if (!isSchemeStart(code) || (at > 0 && isWordChar(text.charCodeAt(at - 1)))) continue;
    if (at + 1 > runEnd) {
      SCHEME_CHARS.lastIndex = at + 1;
      SCHEME_CHARS.test(text);
      runEnd = SCHEME_CHARS.lastIndex;
    }
    // The run holds no `:`, so a scheme's `://` can only follow the whole run.
    WWW.lastIndex = at;
    const bodyFrom = text.startsWith('://', runEnd) ? runEnd + 3 : WWW.test(text) ? at + 4 : undefined;
    if (bodyFrom === undefined) continue;
    out += text.slice(kept, at);
    kept = urlEnd(text, bodyFrom);
    at = kept - 1;
  }
  return (out + text.slice(kept)).replace(/[ \t]{2,}/g, ' ').replace(/[ \t]+$/gm, '');
}

/** Where a URL whose body starts at `bodyFrom` ends: at its last character a URL may end with. */
function urlEnd(text: string, bodyFrom: number): number {
  URL_BODY.lastIndex = bodyFrom;
  URL_BODY.test(text);
  for (let last = URL_BODY.lastIndex - 1; last >= bodyFrom; last--)
    if (!NOT_URL_END.test(text[last]!)) return last + 1;
  // No such character: the URL is its scheme alone.
  return bodyFrom;
}
