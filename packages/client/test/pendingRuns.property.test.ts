import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PendingRuns, type PendingRun } from '../src/dispatch/PendingRuns.js';

describe('PendingRuns', () => {
  it('keeps the runs not yet removed in the order they started, whatever the order of removals', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('add' as const) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const runs = new PendingRuns<number>();
        // The oracle: every run ever added, and whether it is still listed.
        const made: Array<{ run: PendingRun<number>; listed: boolean }> = [];
        for (const next of steps) {
          if (next.kind === 'add') {
            // The add's index as the item: clear() returning two runs swapped cannot go unseen.
            made.push({ run: runs.add(made.length), listed: true });
          } else if (next.kind === 'remove' && made.length > 0) {
            const chosen = made[next.pick % made.length]!;
            expect(runs.remove(chosen.run)).toBe(chosen.listed);
            chosen.listed = false;
          } else if (next.kind === 'clear') {
            const listed = made.filter((entry) => entry.listed);
            expect(runs.clear()).toEqual(listed.map((entry) => entry.run.item));
            for (const entry of listed) entry.listed = false;
          }
          expect(runs.size).toBe(made.filter((entry) => entry.listed).length);
        }
        const listed = made.filter((entry) => entry.listed);
        expect(runs.clear()).toEqual(listed.map((entry) => entry.run.item));
        for (const entry of made) expect(runs.remove(entry.run)).toBe(false);
      }),
    );
  });

  it('tells two runs of one item apart', () => {
    const runs = new PendingRuns<string>();
    const first = runs.add('payload');
    const second = runs.add('payload');
    expect(runs.remove(second)).toBe(true);
    expect(runs.size).toBe(1);
    expect(runs.remove(second)).toBe(false);
    expect(runs.clear()).toEqual(['payload']);
    expect(runs.remove(first)).toBe(false);
  });
});
