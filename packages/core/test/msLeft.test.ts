import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { msLeft } from '@bot/core';

describe('msLeft', () => {
  afterEach(() => vi.useRealTimers());

  it('is the time to the deadline, never below 0 nor above how far ahead it was set', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: -(2 ** 32), max: 2 ** 32 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (now, offset, most) => {
          vi.setSystemTime(now);
          const left = msLeft(now + offset, most);
          expect(left).toBeGreaterThanOrEqual(0);
          expect(left).toBeLessThanOrEqual(most);
          if (offset >= 0 && offset <= most) expect(left).toBe(offset);
        },
      ),
    );
  });

  it('gives a deadline set before the clock stepped back an hour only what it was set for', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const deadline = Date.now() + 5_000;
    vi.setSystemTime(Date.now() - 3_600_000);
    expect(msLeft(deadline, 5_000)).toBe(5_000);
  });
});
