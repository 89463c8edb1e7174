import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Deferred } from '@bot/core';
import { HandlerRuns } from '../../src/workers/HandlerRuns.js';

/** Lets every settled promise's reactions run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function runsOf(max: number) {
  const holds: boolean[] = [];
  const progress: Array<[number, number]> = [];
  const runs = new HandlerRuns(
    max,
    (held) => holds.push(held),
    (id, seq) => progress.push([id, seq]),
  );
  return { runs, holds, progress };
}

describe('HandlerRuns: how far a thread handled each shard, and its bound', () => {
  it('a handling with nothing of its shard running is handled at once', () => {
    const { runs, progress, holds } = runsOf(4);
    runs.finished(0, 1);
    runs.finished(1, 7);
    expect(progress).toEqual([
      [0, 1],
      [1, 7],
    ]);
    expect(holds).toEqual([]);
  });

  it('never tells a shard handled past its oldest handling still running', async () => {
    const { runs, progress } = runsOf(100);
    const first = new Deferred<void>();
    const third = new Deferred<void>();
    runs.track(0, 1, first.promise);
    runs.finished(0, 2);
    runs.track(0, 3, third.promise);
    runs.finished(0, 4);
    third.resolve();
    await settle();
    expect(progress).toEqual([]);
    first.resolve();
    await settle();
    expect(progress).toEqual([[0, 4]]);
  });

  it('a rejected handling counts as done (its failure is reported elsewhere)', async () => {
    const { runs, progress } = runsOf(100);
    runs.track(0, 5, Promise.reject(new Error('failed')));
    await settle();
    expect(progress).toEqual([[0, 5]]);
  });

  it('holds reading at max runs held and lets it go at half', async () => {
    const { runs, holds } = runsOf(4);
    const running = Array.from({ length: 4 }, () => new Deferred<void>());
    running.forEach((each, seq) => runs.track(0, seq, each.promise));
    expect(holds).toEqual([true]);
    expect(runs.held).toBe(true);
    running[0]?.resolve();
    await settle();
    expect(holds).toEqual([true]);
    running[1]?.resolve();
    await settle();
    expect(holds).toEqual([true, false]);
    expect(runs.held).toBe(false);
  });

  it('idle(shard) waits for that shard only', async () => {
    const { runs } = runsOf(100);
    const zero = new Deferred<void>();
    runs.track(0, 1, zero.promise);
    runs.track(1, 1, new Promise(() => undefined));
    let idle = false;
    void runs.idle(0).then(() => (idle = true));
    await expect(runs.idle(2)).resolves.toBeUndefined();
    await settle();
    expect(idle).toBe(false);
    zero.resolve();
    await settle();
    expect(idle).toBe(true);
  });

  it('for any order of settlement, progress only grows, stays below every run still going, and ends at the last seq', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
        fc.infiniteStream(fc.nat()),
        async (asyncness, picks) => {
          const { runs, progress } = runsOf(1_000);
          const open = new Map<number, Deferred<void>>();
          asyncness.forEach((isAsync, seq) => {
            if (!isAsync) {
              runs.finished(0, seq);
              return;
            }
            const running = new Deferred<void>();
            open.set(seq, running);
            runs.track(0, seq, running.promise);
          });
          const pick = picks[Symbol.iterator]();
          while (open.size > 0) {
            const seqs = [...open.keys()];
            const seq = seqs[(pick.next().value as number) % seqs.length] as number;
            open.get(seq)?.resolve();
            open.delete(seq);
            await settle();
            const told = progress.map(([, each]) => each);
            expect(told).toEqual([...told].sort((a, b) => a - b));
            const last = told.at(-1);
            if (last !== undefined && open.size > 0) expect(last).toBeLessThan(Math.min(...open.keys()));
          }
          expect(progress.at(-1)?.[1]).toBe(asyncness.length - 1);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('HandlerRuns across a new session of the shard', () => {
  it("tells nothing of the old session's runs, then the new session's progress once they are off", async () => {
    const { runs, progress } = runsOf(100);
    const old = new Deferred<void>();
    runs.track(0, 41, old.promise);
    runs.finished(0, 42);
    runs.newSession(0);
    runs.finished(0, 1);
    runs.finished(0, 2);
    expect(progress).toEqual([]);
    old.resolve();
    await settle();
    expect(progress).toEqual([[0, 2]]);
  });

  it('a new session with nothing held changes nothing', () => {
    const { runs, progress } = runsOf(100);
    runs.newSession(0);
    runs.finished(0, 1);
    expect(progress).toEqual([[0, 1]]);
  });
});
