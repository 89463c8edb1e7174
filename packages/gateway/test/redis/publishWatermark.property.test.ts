import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PublishWatermark } from '../../src/redis/broker/PublishWatermark.js';

/** One step against the watermark: a publish starts or settles (however it ended), or someone asks. */
type Step =
  | { kind: 'begin'; shard: number; seq: number }
  | { kind: 'settle'; pick: number }
  | { kind: 'wait'; shard: number; seq: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('begin' as const),
    shard: fc.integer({ min: 0, max: 1 }),
    seq: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('wait' as const),
    shard: fc.integer({ min: 0, max: 1 }),
    seq: fc.integer({ min: 0, max: 12 }),
  }),
);

/** Lets resolved waiters run their callbacks. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PublishWatermark', () => {
  it('never vouches for a seq at or above a publish still under way, and wakes each waiter once all publishes up to its seq settled, not before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { maxLength: 60 }), async (steps) => {
        const watermark = new PublishWatermark();
        const outstanding: { shard: number; seq: number }[] = []; // the model: publishes under way
        // A waiter is due once every publish at or below its seq has settled, and stays woken.
        const waiters: { shard: number; seq: number; due: boolean; woken: boolean }[] = [];
        const clear = (shard: number, seq: number): boolean =>
          !outstanding.some((publish) => publish.shard === shard && publish.seq <= seq);

        for (const step of steps) {
          if (step.kind === 'begin') {
            watermark.begin(step.shard, step.seq);
            outstanding.push({ shard: step.shard, seq: step.seq });
          } else if (step.kind === 'settle') {
            if (outstanding.length === 0) continue;
            const [settled] = outstanding.splice(step.pick % outstanding.length, 1);
            if (settled !== undefined) watermark.settle(settled.shard, settled.seq);
          } else {
            const waiter = { shard: step.shard, seq: step.seq, due: false, woken: false };
            waiters.push(waiter);
            void watermark.whenPublished(step.shard, step.seq).then(() => (waiter.woken = true));
          }
          await flush();
          for (const shard of [0, 1]) {
            for (let seq = 0; seq <= 12; seq++) {
              const lowest = Math.min(
                seq + 1,
                ...outstanding.filter((publish) => publish.shard === shard).map((publish) => publish.seq),
              );
              expect(watermark.publishedUpTo(shard, seq)).toBe(Math.max(0, Math.min(seq, lowest - 1)));
            }
          }
          for (const waiter of waiters) {
            waiter.due ||= clear(waiter.shard, waiter.seq);
            expect(waiter.woken).toBe(waiter.due);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
