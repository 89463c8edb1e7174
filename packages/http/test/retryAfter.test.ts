import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/rest/ratelimit/retryAfter.js';
import { classifyResponse } from '../src/rest/response.js';

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

describe('an HTTP-date Retry-After in a 429', () => {
  // The local wall clock reads months after NOW: a clock that far off, measured against, gives no wait.
  const limited = (headers: Record<string, string>) =>
    classifyResponse(
      { status: 429, statusText: 'Too Many Requests', body: '{"code":429,"message":"slow down"}', headers },
      'GET',
      '/guilds/{guild_id}',
      false,
    );
  const at = (ms: number) => new Date(ms).toUTCString();

  it("is measured against the answer's own Date header, whatever the local clock reads", () => {
    expect(limited({ 'retry-after': at(NOW + 2_000), date: at(NOW) })).toMatchObject({
      type: 'rateLimited',
      retryAfter: 2_000,
    });
  });

  it('is measured against the local clock when the answer has no readable Date header', () => {
    const inAMinute = Date.now() + 60_000;
    for (const headers of [{}, { date: 'yesterday' }])
      expect(
        (limited({ 'retry-after': at(inAMinute), ...headers }) as { retryAfter: number }).retryAfter,
      ).toBeGreaterThan(58_000);
  });

  it('leaves delta seconds as they are, whatever the Date header', () => {
    expect(limited({ 'retry-after': '3', date: at(NOW) })).toMatchObject({ retryAfter: 3_000 });
  });
});
