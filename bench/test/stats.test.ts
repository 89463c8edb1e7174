import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predecessorBalanced, rotated } from '../support/rounds.js';
import { median, noiseOf, pairedRatios, summarize, verdictOf } from '../support/stats.js';

const value = fc.double({ min: 1e-3, max: 1e9, noNaN: true, noDefaultInfinity: true });
const rounds = fc.array(value, { minLength: 1, maxLength: 40 });

describe('summarize', () => {
  it('orders min ≤ q1 ≤ median ≤ q3 ≤ max, and every one is a value between the extremes', () => {
    fc.assert(
      fc.property(rounds, (samples) => {
        const { min, q1, median: middle, q3, max } = summarize(samples);
        expect(min).toBe(Math.min(...samples));
        expect(max).toBe(Math.max(...samples));
        expect(q1).toBeGreaterThanOrEqual(min);
        expect(middle).toBeGreaterThanOrEqual(q1);
        expect(q3).toBeGreaterThanOrEqual(middle);
        expect(max).toBeGreaterThanOrEqual(q3);
      }),
    );
  });

  it('does not depend on the order of the rounds', () => {
    fc.assert(
      fc.property(rounds, fc.nat(), (samples, shift) => {
        expect(summarize(rotated(samples, shift))).toEqual(summarize(samples));
        expect(summarize([...samples].reverse())).toEqual(summarize(samples));
      }),
    );
  });

  it('ignores one outlying round in the median and the quartiles of five or more', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 5, maxLength: 31 }), (samples) => {
        const spoiled = [...samples.slice(1), 1e12];
        const { q3 } = summarize(spoiled);
        expect(q3).toBeLessThanOrEqual(1000);
        expect(median(spoiled)).toBeLessThanOrEqual(1000);
      }),
    );
  });

  it('gives the middle value of an odd count and the quartiles of a known set', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, q1: 2, q3: 4, min: 1, max: 5 });
    expect(summarize([1, 2, 3, 4])).toEqual({ median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4 });
  });

  it('refuses no rounds and values that are not finite', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('pairedRatios', () => {
  it('divides round by round, so a slow spell scaling both sides of a round cancels out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, fc.double({ min: 0.1, max: 10, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        (pairs) => {
          const ours = pairs.map(([a]) => a);
          const theirs = pairs.map(([, b]) => b);
          // Each round slowed down by its own factor, on both sides alike.
          const slowed = (side: number[]): number[] => side.map((v, round) => v * pairs[round]![2]);
          const plain = pairedRatios(ours, theirs);
          pairedRatios(slowed(ours), slowed(theirs)).forEach((ratio, round) => {
            expect(Math.abs(ratio / plain[round]! - 1)).toBeLessThan(1e-12);
          });
        },
      ),
    );
  });

  it('is exactly 1 in every round for a contender against itself', () => {
    fc.assert(
      fc.property(rounds, (samples) => {
        expect(pairedRatios(samples, samples)).toEqual(samples.map(() => 1));
      }),
    );
  });

  it('refuses rounds that do not pair up', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedRatios([1], [0])).toThrow(RangeError);
  });
});

describe('verdictOf', () => {
  const summaryOf = fc
    .array(fc.double({ min: 0.2, max: 5, noNaN: true }), { minLength: 1, maxLength: 30 })
    .map(summarize);

  it('calls a ratio inside the control spread equal, whichever way it leans', () => {
    fc.assert(
      fc.property(summaryOf, summaryOf, fc.boolean(), fc.boolean(), (ratio, control, bounded, higher) => {
        fc.pre(Math.abs(ratio.median - 1) <= noiseOf(control));
        expect(verdictOf(ratio, control, bounded, higher)).toBe('equal');
      }),
    );
  });

  it('never calls a contender bounded by its baseline better', () => {
    fc.assert(
      fc.property(summaryOf, summaryOf, fc.boolean(), (ratio, control, higher) => {
        expect(verdictOf(ratio, control, true, higher)).not.toBe('better');
      }),
    );
  });

  it('calls a ratio outside the noise better or worse by the direction that counts', () => {
    const tight = summarize([0.99, 1, 1.01]);
    expect(verdictOf(summarize([1.3]), tight, false)).toBe('better');
    expect(verdictOf(summarize([0.7]), tight, false)).toBe('worse');
    expect(verdictOf(summarize([0.7]), tight, false, false)).toBe('better');
    expect(verdictOf(summarize([1.3]), tight, true)).toBe('equal');
  });
});

describe('rotated', () => {
  it('puts every contender in every position once over as many rounds as contenders', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 8 }), (contenders) => {
        for (let position = 0; position < contenders.length; position++) {
          const seen = new Set(contenders.map((_, round) => rotated(contenders, round)[position]));
          expect(seen.size).toBe(contenders.length);
        }
      }),
    );
  });
});

describe('predecessorBalanced', () => {
  it.each([2, 3, 4, 5, 7])(
    'over 2n rounds of %i contenders, runs each once per round and right after each other one equally often',
    (n) => {
      const contenders = Array.from({ length: n }, (_, index) => index);
      const follows = new Map<string, number>();
      for (let round = 0; round < 2 * n; round++) {
        const order = predecessorBalanced(contenders, round);
        expect([...order].sort((a, b) => a - b)).toEqual(contenders);
        for (let index = 1; index < n; index++) {
          const pair = `${order[index - 1]}→${order[index]}`;
          follows.set(pair, (follows.get(pair) ?? 0) + 1);
        }
      }
      expect(follows.size).toBe(n * (n - 1));
      expect(new Set(follows.values()).size).toBe(1);
    },
  );

  it('is what rotated is not: rotated has each contender follow the same one', () => {
    const follows = new Set<string>();
    for (let round = 0; round < 14; round++) {
      const order = rotated([0, 1, 2, 3, 4, 5, 6], round);
      for (let index = 1; index < 7; index++) follows.add(`${order[index - 1]}→${order[index]}`);
    }
    expect(follows.size).toBeLessThan(7 * 6);
  });
});
