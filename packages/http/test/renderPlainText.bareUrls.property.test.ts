/**
 * withoutBareUrls is a hand-written scan in place of a regular expression that went quadratic on
 * text such as `'a.'` or `'a+'` repeated. It must give what that expression gave, on any text:
 * checked against the old expression, kept here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutBareUrls } from '../src/messages/renderPlainText.js';

/** withoutBareUrls as it was: the reference. */
function reference(text: string): string {
  return text
    .replace(/\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)(?:[^\s<>"'\]）】」]*[^\s<>"'\]),.;:!?）】」。，])?/giu, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+$/gm, '');
}

/** Text made of the pieces the scan reacts to, so its edge cases come up often. */
const pieces = fc.constantFrom(
  'http://',
  'https://',
  'a+b.c-d://',
  '://',
  ':/',
  ':',
  '/',
  'www.',
  'WWW.',
  'wWw',
  'w',
  'a',
  'Z',
  '9',
  '_',
  '.',
  '+',
  '-',
  ',',
  ')',
  ']',
  '>',
  '<',
  '"',
  "'",
  '!',
  '?',
  '。',
  '，',
  '）',
  '】',
  '」',
  ' ',
  '  ',
  '\t',
  '\n',
  '\u3000',
  'é',
  '\u017f',
  '\u212a',
  '😀',
  '\ud83d',
  'example.com',
  'x/y?q=1#f',
);

const texts = fc.oneof(
  fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

describe('withoutBareUrls', () => {
  it('gives what the regular expression gave, on any text', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(withoutBareUrls(text)).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['', ''],
    ['see http://example.com/a, then', 'see , then'],
    ['(https://example.com/a)', '()'],
    ['visit www.example.com.', 'visit .'],
    ['WWW.EXAMPLE.COM!', '!'],
    ['a+b.c-d://host/x end', ' end'],
    ['xhttp://a b', ' b'],
    ['_http://a b', '_http://a b'],
    ['1http://a', '1http://a'],
    ['http://', ''],
    ['http://,,,', ',,,'],
    ['http://a://b c', ' c'],
    ['\u017fx://a b', ' b'],
    ['a\u017fhttp://x', ''],
    ['\u212awww.x y', '\u212awww.x y'],
    ['链接：https://example.com/路径。好', '链接：'],
    ['「https://a.b」', '「」'],
    ['http://a😀 b', ' b'],
    ['a.'.repeat(50), 'a.'.repeat(50)],
    ['a+'.repeat(50), 'a+'.repeat(50)],
    ['a.'.repeat(50) + '://x', ''],
    ['www', 'www'],
  ])('%j gives %j', (text, expected) => {
    expect(withoutBareUrls(text)).toBe(expected);
    expect(reference(text)).toBe(expected);
  });
});
