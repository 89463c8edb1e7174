import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quotedValue } from '@bot/core';

describe('quotedValue', () => {
  it('shows texts quoted and cut, numbers as written, and other values by their kind only', () => {
    expect(quotedValue('abc')).toBe('"abc"');
    expect(quotedValue('x'.repeat(100), 5)).toBe('"xxxxx…"');
    expect(quotedValue(-1.5)).toBe('-1.5');
    expect(quotedValue(10n ** 100n, 3)).toBe('100…');
    expect(quotedValue(null)).toBe('null');
    expect(quotedValue([1])).toBe('an array');
    expect(quotedValue({ toString: 0, valueOf: 0 })).toBe('an object');
  });

  it('never throws and stays short, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true }), (value) => {
        // 40 characters, each at worst a six-character escape, the quotes and the ellipsis.
        expect(quotedValue(value).length).toBeLessThanOrEqual(40 * 6 + 3);
      }),
    );
  });
});
