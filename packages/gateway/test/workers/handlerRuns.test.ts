import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Deferred } from '@bot/core';
import type { DispatchPayload } from '@bot/gateway';
import { HandlerRuns } from '../../src/workers/HandlerRuns.js';

/** Lets every settled promise's reactions run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A dispatch with sequence number `s`. */
const event = (s: number): DispatchPayload => ({ op: 0, t: 'AT_MESSAGE_CREATE', s, id: `event-${s}`, d: {} });

function runsOf(max: number, timeoutMs = Number.POSITIVE_INFINITY) {
  const holds: boolean[] = [];
  const progress: Array<[number, number]> = [];
  const timedOut: Array<[number, string | undefined, number]> = [];
  const runs = new HandlerRuns(max, timeoutMs, {
    onHold: (held) => holds.push(held),
    onProgress: (id, seq) => progress.push([id, seq]),
    onTimeout: (id, payload, ranMs) => timedOut.push([id, payload.id, ranMs]),
  });
  return { runs, holds, progress, timedOut };
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
    runs.track(0, event(1), first.promise, 1);
    runs.finished(0, 2);
    runs.track(0, event(3), third.promise, 3);
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
    runs.track(0, event(5), Promise.reject(new Error('failed')), 5);
    await settle();
    expect(progress).toEqual([[0, 5]]);
  });

  it('holds reading at max runs held and lets it go at half', async () => {
    const { runs, holds } = runsOf(4);
    const running = Array.from({ length: 4 }, () => new Deferred<void>());
    running.forEach((each, seq) => runs.track(0, event(seq), each.promise, seq));
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
    runs.track(0, event(1), zero.promise, 1);
    runs.track(1, event(1), new Promise(() => undefined), 1);
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
            runs.track(0, event(seq), running.promise, seq);
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
  it("tells the new session's progress as its handlings finish, never held back by the old session's runs, which tell nothing", async () => {
    const { runs, progress } = runsOf(100);
    const old = new Deferred<void>();
    runs.track(0, event(41), old.promise, 41);
    runs.finished(0, 42);
    runs.newSession(0);
    runs.finished(0, 1);
    runs.finished(0, 2);
    expect(progress).toEqual([
      [0, 1],
      [0, 2],
    ]);
    old.resolve();
    await settle();
    expect(progress).toEqual([
      [0, 1],
      [0, 2],
    ]);
  });

  it("the old session's runs still count toward the bound until they settle", async () => {
    const { runs, holds } = runsOf(2);
    const old = new Deferred<void>();
    runs.track(0, event(41), old.promise, 41);
    runs.newSession(0);
    runs.track(0, event(1), new Promise(() => undefined), 1);
    expect(holds).toEqual([true]);
    old.resolve();
    await settle();
    expect(holds).toEqual([true, false]);
  });

  it("idle(id) waits for the old session's runs too, so a closing shard gives them its grace", async () => {
    const { runs } = runsOf(100);
    const old = new Deferred<void>();
    runs.track(0, event(41), old.promise, 41);
    runs.newSession(0);
    let idle = false;
    void runs.idle(0).then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    old.resolve();
    await settle();
    expect(idle).toBe(true);
  });

  it("idle(id) waits for both sessions' runs, whichever settles last", async () => {
    const { runs } = runsOf(100);
    const old = new Deferred<void>();
    const current = new Deferred<void>();
    runs.track(0, event(41), old.promise, 41);
    runs.newSession(0);
    runs.track(0, event(1), current.promise, 1);
    let idle = false;
    void runs.idle(0).then(() => (idle = true));
    current.resolve();
    await settle();
    expect(idle).toBe(false);
    old.resolve();
    await settle();
    expect(idle).toBe(true);
  });

  it("closing the shard (retire) no longer waits for an old session's runs", async () => {
    const { runs } = runsOf(100);
    runs.track(0, event(41), new Promise(() => undefined), 41);
    runs.newSession(0);
    let idle = false;
    void runs.idle(0).then(() => (idle = true));
    runs.retire(0);
    await settle();
    expect(idle).toBe(true);
    await expect(runs.idle(0)).resolves.toBeUndefined();
  });

  it('a new session with nothing held changes nothing', () => {
    const { runs, progress } = runsOf(100);
    runs.newSession(0);
    runs.finished(0, 1);
    expect(progress).toEqual([[0, 1]]);
  });
});

describe('HandlerRuns: a handling that never settles', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts as done at its deadline, reported, so its shard moves on and reading resumes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { runs, progress, timedOut, holds } = runsOf(2, 1_000);
    runs.track(0, event(1), new Promise(() => undefined), 1);
    await vi.advanceTimersByTimeAsync(500);
    runs.track(0, event(2), new Promise(() => undefined), 2);
    expect(holds).toEqual([true]);
    await vi.advanceTimersByTimeAsync(499);
    expect(timedOut).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(timedOut).toEqual([[0, 'event-1', 1_000]]);
    expect(progress).toEqual([[0, 1]]);
    expect(holds).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(500);
    expect(timedOut.map(([, id]) => id)).toEqual(['event-1', 'event-2']);
    expect(progress).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps one timer for every run, none once they settled, and none without a deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { runs } = runsOf(100, 1_000);
    const settling = Array.from({ length: 5 }, () => new Deferred<void>());
    settling.forEach((each, seq) => runs.track(seq % 2, event(seq), each.promise, seq));
    expect(vi.getTimerCount()).toBe(1);
    for (const each of settling) each.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    const { runs: unlimited } = runsOf(100);
    unlimited.track(0, event(1), new Promise(() => undefined), 1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a handling settling after its deadline counts once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { runs, progress, timedOut } = runsOf(100, 1_000);
    const late = new Deferred<void>();
    runs.track(0, event(1), late.promise, 1);
    runs.finished(0, 2);
    await vi.advanceTimersByTimeAsync(1_000);
    late.resolve();
    await vi.advanceTimersByTimeAsync(0);
    runs.finished(0, 3);
    expect(timedOut).toHaveLength(1);
    expect(progress).toEqual([
      [0, 2],
      [0, 3],
    ]);
  });

  it('stop() clears the timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { runs } = runsOf(100, 1_000);
    runs.track(0, event(1), new Promise(() => undefined), 1);
    runs.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('HandlerRuns: one deadline timer, whoever arms it', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a single timer when a timed-out run releases reading and new runs are tracked at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let runs!: HandlerRuns;
    let seq = 10;
    runs = new HandlerRuns(2, 1_000, {
      // Released reading replays held frames at once: their runs are tracked inside the sweep.
      onHold: (held) => {
        if (!held) runs.track(0, event(++seq), new Promise(() => undefined), ++seq);
      },
      onProgress: () => undefined,
      onTimeout: () => undefined,
    });
    runs.track(0, event(1), new Promise(() => undefined), 1);
    runs.track(0, event(2), new Promise(() => undefined), 2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(vi.getTimerCount()).toBe(1);
    runs.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('HandlerRuns: runs of a closed shard', () => {
  it('are kept apart: the shard started again is handled and idle without waiting for them', async () => {
    const { runs, progress } = runsOf(100);
    const old = new Deferred<void>();
    runs.track(0, event(41), old.promise, 41);
    let idle = false;
    void runs.idle(0).then(() => (idle = true));
    runs.retire(0);
    await settle();
    expect(idle).toBe(true);
    runs.finished(0, 5);
    expect(progress).toEqual([[0, 5]]);
    await expect(runs.idle(0)).resolves.toBeUndefined();
    old.resolve();
    await settle();
    expect(progress).toEqual([[0, 5]]);
  });

  it('still count toward the bound until they settle', async () => {
    const { runs, holds } = runsOf(2);
    const old = new Deferred<void>();
    runs.track(0, event(1), old.promise, 1);
    runs.retire(0);
    runs.track(0, event(1), new Promise(() => undefined), 1);
    expect(holds).toEqual([true]);
    old.resolve();
    await settle();
    expect(holds).toEqual([true, false]);
  });
});
