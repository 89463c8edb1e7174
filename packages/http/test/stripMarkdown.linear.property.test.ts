/**
 * stripMarkdown's passes over images, links, autolinks and rules are hand-written scans in place
 * of regular expressions that went quadratic on text such as `'!['` or blank lines repeated. They
 * must give what those expressions gave, on any text: checked against the old chain kept here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripMarkdown } from '../src/messages/renderPlainText.js';

/** stripMarkdown as it was, all regular expressions: the reference. */
function reference(markdown: string): string {
  return markdown
    .replace(/\u200b/g, '')
    .replace(/!\[([^\]]*?)(?:\s+#\d+px)*\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:\/\/[^>]+)>/g, '')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*(?:\*\s*){3,}$|^\s*(?:-\s*){3,}$/gm, '')
    .replace(/(\*\*\*|\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/\n{3,}/g, '\n\n');
}

/** Markdown made of the pieces the passes react to, so their edge cases come up often. */
const pieces = fc.constantFrom(
  '![',
  '[',
  ']',
  '(',
  ')',
  '](',
  '<',
  '>',
  '<http://',
  '<https://',
  'http://',
  '#',
  ' #12px',
  '#3px',
  'px',
  '1',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u00a0',
  '\u200b',
  '*',
  '**',
  '***',
  '* * *',
  '-',
  '- - -',
  '---',
  '_',
  '__',
  '~~',
  '>',
  '# ',
  'a',
  'b c',
  '!',
  'x.png',
  '\n\n\n',
);
const markdown = fc.oneof(
  fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')),
  fc.string({
    unit: fc.constantFrom('!', '[', ']', '(', ')', '<', '>', '*', '-', ' ', '\n', '#', 'p', 'x', '1'),
  }),
  fc.string({ unit: 'grapheme-composite' }),
);

describe('stripMarkdown against the regular expressions it replaced', () => {
  it('gives the same text for any markdown', () => {
    fc.assert(
      fc.property(markdown, (text) => {
        expect(stripMarkdown(text)).toBe(reference(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it.each([
    ['an image with sizes', '![cat #12px #3px](a.png) and [link](u) <http://x>'],
    ['sizes that are the whole alt text', '![ #12px](a.png)'],
    ['a rule after blank lines', 'a\n\n\n  ***  \n\nb'],
    ['a rule across line breaks', '\n\r\n* *\n*\n\nx'],
    ['a dash rule at the end', 'text\n- - -'],
    ['an image never closed, then one closed', '![a ![b](c)'],
    ['a link whose bracket is not followed by (', '[a] [b](c) [d]'],
    ['a start right after a bracket not followed by (', '![a]![b](c) [a][b](c)'],
    ['an autolink with nothing in it', '<http://><http://a>'],
    [
      'the quadratic inputs, short',
      `${'!['.repeat(50)}${'\n'.repeat(50)}x${'[a]('.repeat(20)}${'<http://'.repeat(20)}`,
    ],
  ])('gives the same text for %s', (_, text) => {
    expect(stripMarkdown(text)).toBe(reference(text));
  });
});
