/**
 * Budgets that start again every period counted from the emulator's start (the upload quota, the
 * session start budget) share one PeriodicWindow; checked here against a plain oracle: period
 * number `floor((now − start) / length)`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeriodicWindow } from '../src/util/PeriodicWindow.js';
import { DAY_MS } from '../src/util/time.js';

describe('PeriodicWindow', () => {
  it('starts a new period exactly when the time crosses a multiple of the length from the start, for any length and steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: DAY_MS }),
        fc.array(fc.integer({ min: 0, max: 3 * DAY_MS })),
        (length, steps) => {
          const start = 1_000_000;
          const window = new PeriodicWindow(() => length, start);
          let now = start;
          let period = 0;
          for (const advance of steps) {
            now += advance;
            const expected = Math.floor((now - start) / length);
            expect(window.roll(now)).toBe(expected !== period);
            period = expected;
            expect(window.msLeft(now)).toBe(start + (period + 1) * length - now);
            expect(window.roll(now)).toBe(false);
          }
        },
      ),
    );
  });

  it('reads the length at each call: a shorter one applies to the current period at once', () => {
    let length = DAY_MS;
    const window = new PeriodicWindow(() => length, 0);
    expect(window.msLeft(150_000)).toBe(DAY_MS - 150_000);
    length = 60_000;
    expect(window.roll(150_000)).toBe(true);
    expect(window.msLeft(150_000)).toBe(30_000);
  });

  it('reports whole milliseconds left from steady readings with fractions', () => {
    const window = new PeriodicWindow(() => 60_000, 1_000.25);
    expect(window.msLeft(1_500.5)).toBe(59_500);
    expect(window.roll(61_000.25)).toBe(true);
    expect(window.msLeft(61_000.5)).toBe(60_000);
  });
});
