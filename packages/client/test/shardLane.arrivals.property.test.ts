import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShardLane } from '../src/dispatch/ShardLane.js';

// The arrival number of the lane's oldest unfinished item is what tells a new session's events
// from an earlier session's (see Dispatcher.handledCap): it must name exactly that item.

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ShardLane.oldestUnfinishedArrival', () => {
  it('is the arrival number of the first item neither finished nor given up on, in any order of finishes', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), sync: fc.boolean() }),
      fc.record({ kind: fc.constant('finish' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('abandon' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { maxLength: 40 }),
        async (limit, steps) => {
          const gates = new Map<number, { open: () => void }>();
          const done = new Set<number>();
          const lane = new ShardLane<number>(
            { mode: 'concurrent', limit },
            (item) => {
              if (!gates.has(item)) {
                done.add(item);
                return undefined;
              }
              const { promise, open } = gate();
              gates.set(item, { open });
              return promise.then(() => void done.add(item));
            },
            (error) => {
              throw error;
            },
          );
          // Items are numbered from 0 in the order they are pushed: each one's arrival number.
          let pushed = 0;
          for (const next of steps) {
            if (next.kind === 'push') {
              const item = pushed++;
              if (!next.sync) gates.set(item, { open: () => undefined });
              else gates.delete(item);
              lane.push(item);
              expect(lane.arrivals).toBe(pushed);
            } else if (next.kind === 'finish') {
              const open = [...gates.entries()].filter(([item]) => !done.has(item));
              if (open.length > 0) open[next.pick % open.length]![1].open();
            } else {
              const { running, waiting } = lane.abandon();
              for (const item of [...running, ...waiting]) done.add(item);
            }
            await flush();
            let expected: number | undefined;
            for (let item = 0; item < pushed; item++) {
              if (!done.has(item)) {
                expected = item;
                break;
              }
            }
            expect(lane.oldestUnfinishedArrival()).toBe(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
