import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShardLane } from '../src/dispatch/ShardLane.js';

/** A promise and its resolver. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ShardLane.oldestUnfinished (how far a shard is handled)', () => {
  it('is the first item not finished, every earlier one finished, whatever order runs finish in', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), sync: fc.boolean() }),
      fc.record({ kind: fc.constant('finish' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { maxLength: 40 }),
        async (limit, steps) => {
          const gates = new Map<number, { open: () => void }>();
          const finished = new Set<number>();
          const lane = new ShardLane<number>(
            { mode: 'concurrent', limit },
            (item) => {
              if (!gates.has(item)) {
                finished.add(item); // finishes as it runs
                return undefined;
              }
              const { promise, open } = gate();
              gates.set(item, { open });
              return promise.then(() => void finished.add(item));
            },
            (error) => {
              throw error;
            },
          );
          let pushed = 0;
          for (const next of steps) {
            if (next.kind === 'push') {
              const item = ++pushed;
              // An item to hang gets a placeholder gate, replaced by its own once it starts.
              if (!next.sync) gates.set(item, { open: () => undefined });
              else gates.delete(item);
              lane.push(item);
            } else {
              const open = [...gates.entries()].filter(([item]) => !finished.has(item));
              if (open.length > 0) open[next.pick % open.length]![1].open();
            }
            await flush();
            // The oracle: the lowest item pushed and not finished.
            let expected: number | undefined;
            for (let item = 1; item <= pushed; item++) {
              if (!finished.has(item)) {
                expected = item;
                break;
              }
            }
            expect(lane.oldestUnfinished()).toBe(expected);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
