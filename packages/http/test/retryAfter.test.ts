import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/rest/ratelimit/retryAfter.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta seconds, fractions rounded up to the millisecond', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
    expect(parseRetryAfter('0.0001', NOW)).toBe(1);
  });

  it('returns a huge wait as it is: capping is the caller’s decision', () => {
    expect(parseRetryAfter('1000000000', NOW)).toBe(1_000_000_000_000);
  });

  it('reads an HTTP date relative to now, a past date as no wait', () => {
    expect(parseRetryAfter(new Date(NOW + 45_000).toUTCString(), NOW)).toBe(45_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['negative', '-5'],
    ['not a number', 'NaN'],
    ['infinite', 'Infinity'],
    ['hexadecimal', '0x10'],
    ['exponent', '1e3'],
    ['an ISO date, which is not an HTTP date', '2030-01-01T00:00:00Z'],
    ['words', 'soon'],
    ['a number too long to be finite', '9'.repeat(400)],
  ])('treats %s as unreadable', (_name, header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });

  it('never returns a negative, fractional or non-finite wait, whatever the header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (header) => {
        const wait = parseRetryAfter(header, NOW);
        return wait === undefined || (Number.isSafeInteger(wait) && wait >= 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every non-negative integer of seconds exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (seconds) => {
        return parseRetryAfter(String(seconds), NOW) === seconds * 1000;
      }),
    );
  });
});
