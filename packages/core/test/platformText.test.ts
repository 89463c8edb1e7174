import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { platformText, quotedText } from '@bot/core';

// Text the platform (or whatever answers in its place) sends is quoted in errors and log lines:
// bounded, and with no character that could end a log line or forge another one.

const FORGED = `${'x'.repeat(1_000_000)}\nFAKE 2026-01-01 ERROR forged line`;

/** Every character the escaping covers: controls, line breaks, bidirectional overrides. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('platformText', () => {
  it('keeps ordinary text as it is', () => {
    expect(platformText('invalid appid or secret', 500)).toBe('invalid appid or secret');
    expect(platformText('频道不存在', 500)).toBe('频道不存在');
  });

  it('writes line breaks and other control characters as escapes', () => {
    expect(platformText('a\nb\rc\td\u0000e\u001bf\u007fg\u2028h', 500)).toBe(
      'a\\nb\\rc\\td\\u0000e\\u001bf\\u007fg\\u2028h',
    );
  });

  it('bounds the text, saying how much was left out, and never cuts an escape or a surrogate pair', () => {
    const long = platformText(FORGED, 500);
    expect(long.length).toBeLessThanOrEqual(500);
    expect(long).toMatch(/^x+… \(\d+ more characters\)$/);
    for (let max = 20; max < 40; max++) {
      const cut = platformText(`${'\n'.repeat(10)}😀😀😀😀😀😀😀😀😀😀`, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/\\u?[0-9a-f]{0,3}…|\\…|[\ud800-\udbff]…/);
    }
  });
});

describe('platformText properties', () => {
  const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 }));

  it('is never longer than asked and holds no control or line-breaking character', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 30, max: 200 }), (text, max) => {
        const out = platformText(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(UNSAFE);
      }),
    );
  });

  it('keeps a text that fits whole, and a cut text starts with what was kept of it', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 30, max: 200 }), (text, max) => {
        const escapedWhole = platformText(text, Number.MAX_SAFE_INTEGER);
        const out = platformText(text, max);
        if (escapedWhole.length <= max) expect(out).toBe(escapedWhole);
        else expect(escapedWhole.startsWith(out.slice(0, out.lastIndexOf('… (')))).toBe(true);
      }),
    );
  });
});

describe('quotedText', () => {
  it('quotes as JSON and also escapes what JSON.stringify leaves as it is', () => {
    expect(quotedText('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(quotedText('\u009b2J\u2028\u2029\u202e\u2066\u007f')).toBe(
      '"\\u009b2J\\u2028\\u2029\\u202e\\u2066\\u007f"',
    );
  });

  it('holds no unsafe character and reads back as the text it was given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const out = quotedText(text);
        expect(out).not.toMatch(UNSAFE);
        expect(JSON.parse(out)).toBe(text);
      }),
    );
  });
});
