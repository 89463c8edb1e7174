import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deferred } from '@bot/core';
import { ShardLane, type LaneFlow } from '../../src/dispatch/ShardLane.js';
import type { DispatchPolicy } from '../../src/dispatch/DispatchPolicy.js';

/** An item of the lane: a name, and the promise its run returns (none: it finishes at once). */
interface Item {
  readonly name: string;
  readonly run: Deferred<void> | undefined;
}

const hung = (name: string): Item => ({ name, run: new Deferred<void>() });
const plain = (name: string): Item => ({ name, run: undefined });

const TIMEOUT_MS = 1_000;

/** A lane whose runs record their start, with a deadline reporting each run given up on. */
function laneOf(policy: DispatchPolicy, timeoutMs = TIMEOUT_MS, flow?: LaneFlow) {
  const started: string[] = [];
  const timedOut: Array<{ name: string; ranMs: number }> = [];
  const rejected: string[] = [];
  const bugs: unknown[] = [];
  const lane = new ShardLane<Item>(
    policy,
    (item) => {
      started.push(item.name);
      return item.run?.promise;
    },
    (error) => void bugs.push(error),
    flow,
    (item) => void rejected.push(item.name),
    { timeoutMs, onTimeout: (item, ranMs) => void timedOut.push({ name: item.name, ranMs }) },
  );
  return { lane, started, timedOut, rejected, bugs };
}

describe('ShardLane handler deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('frees the slot of a sequential run that never settles once the deadline passes, and only then starts the next', async () => {
    const { lane, started, timedOut } = laneOf({ mode: 'sequential' });
    lane.push(hung('A'));
    lane.push(plain('B'));

    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(started).toEqual(['A']);
    expect(timedOut).toEqual([]);
    expect(lane.load).toBe(2);

    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['A', 'B']);
    expect(timedOut).toEqual([{ name: 'A', ranMs: TIMEOUT_MS }]);
    expect(lane.load).toBe(0);
    await expect(lane.onIdle()).resolves.toBeUndefined();
  });

  it('gives each run its own deadline, counted from its own start', async () => {
    const { lane, started, timedOut } = laneOf({ mode: 'sequential' });
    const first = hung('A');
    lane.push(first);
    await vi.advanceTimersByTimeAsync(400);
    first.run!.resolve();
    lane.push(hung('B'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['A', 'B']);

    // 1,000 ms after A started: B has run for 600 ms only.
    await vi.advanceTimersByTimeAsync(600);
    expect(timedOut).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    expect(timedOut).toEqual([{ name: 'B', ranMs: TIMEOUT_MS }]);
  });

  it('frees the slots of n hung runs of a concurrent lane of limit n at the deadline, the waiting ones then starting', async () => {
    const { lane, started, timedOut } = laneOf({ mode: 'concurrent', limit: 3 });
    for (const name of ['A', 'B', 'C', 'D', 'E']) lane.push(hung(name));
    expect(started).toEqual(['A', 'B', 'C']);

    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(started).toEqual(['A', 'B', 'C']);
    await vi.advanceTimersByTimeAsync(1);
    expect(timedOut.map((each) => each.name)).toEqual(['A', 'B', 'C']);
    expect(started).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(lane.load).toBe(2);

    // D and E started at the first deadline: theirs is one timeout later.
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(timedOut.map((each) => each.name)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(lane.load).toBe(0);
  });

  it('frees nothing more when a run given up on settles later: the load never goes below what the lane holds, and the order holds', async () => {
    const { lane, started, timedOut, rejected } = laneOf({ mode: 'sequential' });
    const a = hung('A');
    const b = hung('B');
    lane.push(a);
    lane.push(b);
    lane.push(hung('C'));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(started).toEqual(['A', 'B']);
    expect(lane.load).toBe(2);

    a.run!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    // A's late end must not free B's slot: C still waits for B.
    expect(started).toEqual(['A', 'B']);
    expect(lane.load).toBe(2);

    b.run!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['A', 'B', 'C']);
    expect(lane.load).toBe(1);
    expect(timedOut.map((each) => each.name)).toEqual(['A']);
    expect(rejected).toEqual([]);
  });

  it('still hands a late rejection of a run given up on to onRejected, once, and frees no slot for it', async () => {
    const { lane, started, timedOut, rejected } = laneOf({ mode: 'sequential' });
    const a = hung('A');
    lane.push(a);
    lane.push(hung('B'));
    lane.push(hung('C'));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);

    a.run!.reject(new Error('failed after its deadline'));
    await vi.advanceTimersByTimeAsync(0);
    expect(rejected).toEqual(['A']);
    expect(timedOut.map((each) => each.name)).toEqual(['A']);
    expect(started).toEqual(['A', 'B']);
    expect(lane.load).toBe(2);
  });

  it('resumes a paused source once the runs given up on bring the lane down to its low-water mark', async () => {
    const signals: string[] = [];
    const flow: LaneFlow = {
      highWaterMark: 3,
      lowWaterMark: 1,
      pause: () => void signals.push('pause'),
      resume: () => void signals.push('resume'),
    };
    const { lane } = laneOf({ mode: 'concurrent', limit: 3 }, TIMEOUT_MS, flow);
    for (const name of ['A', 'B', 'C']) lane.push(hung(name));
    expect(signals).toEqual(['pause']);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(signals).toEqual(['pause', 'resume']);
    expect(lane.paused).toBe(false);
  });

  it('has no timer while only synchronous runs go through', () => {
    const { lane, started } = laneOf({ mode: 'sequential' });
    for (let index = 0; index < 50; index++) lane.push(plain(`S${index}`));
    expect(started).toHaveLength(50);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('has one timer while runs are pending, whatever their number, and none once every run settled', async () => {
    const { lane } = laneOf({ mode: 'concurrent', limit: 64 });
    const runs = Array.from({ length: 20 }, (_, index) => hung(`A${index}`));
    for (const run of runs) lane.push(run);
    expect(vi.getTimerCount()).toBe(1);

    for (const run of runs.slice(0, 19)) run.run!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);
    runs[19]!.run!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(lane.load).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('has no timer left after it gave up on every hung run', async () => {
    const { lane } = laneOf({ mode: 'sequential' });
    lane.push(hung('A'));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its timer when a shutdown gives up on the lane (abandon)', () => {
    const { lane } = laneOf({ mode: 'sequential' });
    lane.push(hung('A'));
    lane.push(hung('B'));
    expect(vi.getTimerCount()).toBe(1);
    lane.abandon();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with the deadline off (Infinity) waits for a hung run as long as it takes, with no timer', async () => {
    const { lane, started, timedOut } = laneOf({ mode: 'sequential' }, Number.POSITIVE_INFINITY);
    const a = hung('A');
    lane.push(a);
    lane.push(plain('B'));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(started).toEqual(['A']);
    expect(timedOut).toEqual([]);

    a.run!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['A', 'B']);
  });

  it('reports an onTimeout that throws as a bug and still goes on with the lane', async () => {
    const bugs: unknown[] = [];
    const started: string[] = [];
    const lane = new ShardLane<Item>(
      { mode: 'sequential' },
      (item) => {
        started.push(item.name);
        return item.run?.promise;
      },
      (error) => void bugs.push(error),
      undefined,
      undefined,
      {
        timeoutMs: TIMEOUT_MS,
        onTimeout: () => {
          throw new Error('reporter broke');
        },
      },
    );
    lane.push(hung('A'));
    lane.push(plain('B'));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(started).toEqual(['A', 'B']);
    expect(bugs).toEqual([new Error('reporter broke')]);
  });
});
