import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deferred } from '@bot/core';
import { ShardLane } from '../../src/dispatch/ShardLane.js';

const TIMEOUT_MS = 100;

/** One item and what the oracle knows of it. */
interface Item {
  readonly index: number;
  /** The promise its run returns; none: the run finishes synchronously. */
  readonly run: Deferred<void> | undefined;
  startedAt?: number;
  settledAt?: number;
  timedOutAt?: number;
}

type Step =
  | { kind: 'push'; async: boolean }
  | { kind: 'settle'; pick: number; reject: boolean }
  | { kind: 'advance'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), async: fc.boolean() }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), reject: fc.boolean() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 160 }) }),
);

describe('ShardLane handler deadline, against an oracle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts items in order, frees exactly the runs past the deadline once each, never counts one twice, and keeps one timer only while a run is pending', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(step, { maxLength: 40 }),
        async (limit, steps) => {
          vi.setSystemTime(0);
          const items: Item[] = [];
          const order: number[] = [];
          const lane = new ShardLane<Item>(
            limit === 1 ? { mode: 'sequential' } : { mode: 'concurrent', limit },
            (item) => {
              item.startedAt = Date.now();
              order.push(item.index);
              return item.run?.promise;
            },
            (error) => {
              throw error;
            },
            undefined,
            () => undefined,
            {
              timeoutMs: TIMEOUT_MS,
              onTimeout: (item, ranMs) => {
                // Once, for a run still unsettled, exactly at its deadline.
                expect(item.timedOutAt).toBeUndefined();
                expect(item.settledAt).toBeUndefined();
                expect(ranMs).toBe(TIMEOUT_MS);
                expect(Date.now() - item.startedAt!).toBe(TIMEOUT_MS);
                item.timedOutAt = Date.now();
              },
            },
          );
          const counted = (item: Item): boolean =>
            item.run !== undefined &&
            item.startedAt !== undefined &&
            item.settledAt === undefined &&
            item.timedOutAt === undefined;

          for (const next of steps) {
            if (next.kind === 'push') {
              const item: Item = { index: items.length, run: next.async ? new Deferred<void>() : undefined };
              items.push(item);
              lane.push(item);
            } else if (next.kind === 'settle') {
              const open = items.filter(
                (item) => item.run !== undefined && item.startedAt !== undefined && !item.run.settled,
              );
              const chosen = open[next.pick % Math.max(1, open.length)];
              if (chosen !== undefined) {
                if (next.reject) chosen.run!.reject(new Error('failed'));
                else chosen.run!.resolve();
                // A run past its deadline was freed then: its end changes nothing now.
                if (chosen.timedOutAt === undefined) chosen.settledAt = Date.now();
              }
            }
            await vi.advanceTimersByTimeAsync(next.kind === 'advance' ? next.ms : 0);

            expect(order).toEqual(order.map((_, index) => index));
            const running = items.filter(counted);
            const waiting = items.filter((item) => item.startedAt === undefined);
            expect(lane.load).toBe(running.length + waiting.length);
            expect(running.length).toBeLessThanOrEqual(limit);
            if (waiting.length > 0) expect(running.length).toBe(limit);
            for (const item of running) expect(Date.now() - item.startedAt!).toBeLessThan(TIMEOUT_MS);
            expect(vi.getTimerCount()).toBe(running.length > 0 ? 1 : 0);
          }
          lane.abandon();
          expect(vi.getTimerCount()).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
