import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PublishWatermark } from '../../src/redis/broker/PublishWatermark.js';

/** A publish starts, or one under way settles (however it ended). */
type Step = { kind: 'begin'; seq: number } | { kind: 'settle'; pick: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('begin' as const), seq: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat() }),
);

describe('PublishWatermark.durableWith', () => {
  it('lets a publish under way store its own seq only when no other publish at or below it is under way', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 80 }), (steps) => {
        const watermark = new PublishWatermark();
        const outstanding: number[] = []; // the model: seqs of the publishes under way on shard 0
        for (const step of steps) {
          if (step.kind === 'begin') {
            watermark.begin(0, step.seq);
            outstanding.push(step.seq);
          } else if (outstanding.length > 0) {
            const [seq] = outstanding.splice(step.pick % outstanding.length, 1);
            if (seq !== undefined) watermark.settle(0, seq);
          }
          // For each publish under way: every other publish under way bounds it from below.
          outstanding.forEach((seq, index) => {
            const others = outstanding.filter((_, other) => other !== index);
            const expected = Math.max(0, Math.min(seq, ...others.map((other) => other - 1)));
            expect(watermark.durableWith(0, seq)).toBe(expected);
          });
          expect(watermark.durableWith(1, 7)).toBe(7); // a shard with nothing under way
        }
      }),
      { numRuns: 300 },
    );
  });
});
