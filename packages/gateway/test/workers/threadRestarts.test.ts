import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThreadRestarts } from '../../src/workers/ThreadRestarts.js';

/** What happens at one instant of a case: its clock, then an exit or timers run for some ms. */
interface Step {
  /** The steady clock from this step on, driven by hand so it can lag the timers as a busy loop's does. */
  clock: number;
  /** The thread exits, or the fake timers advance by this many milliseconds. */
  then: 'exit' | number;
  /** The restart count expected after the step. */
  count: number;
}

const STABLE_AFTER_MS = 300;

// Every case: one restart, and the thread's shards ready at 1,000 by the clock.
const CASES: { rule: string; steps: Step[] }[] = [
  {
    rule: 'starts the count over once the shards stayed ready long enough',
    steps: [{ clock: 1_300, then: 300, count: 0 }],
  },
  {
    rule: 'starts the count over even when its timer fires before the clock says the shards were ready long enough',
    steps: [
      { clock: 1_299, then: 300, count: 1 }, // the timer fires one millisecond early by the clock
      { clock: 1_300, then: 1, count: 0 },
    ],
  },
  {
    rule: 'keeps counting when the thread exits before its shards proved stable',
    steps: [
      { clock: 1_100, then: 'exit', count: 1 },
      { clock: 2_000, then: 1_000, count: 1 },
    ],
  },
  {
    rule: 'starts the count over when the thread exits after its shards proved stable, before the timer ran',
    steps: [{ clock: 1_400, then: 'exit', count: 0 }],
  },
];

describe('ThreadRestarts', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it.each(CASES)('$rule', ({ steps }) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let now = 1_000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const restarts = new ThreadRestarts(STABLE_AFTER_MS);
    restarts.add();
    restarts.sawReady();
    for (const step of steps) {
      now = step.clock;
      if (step.then === 'exit') restarts.exited();
      else vi.advanceTimersByTime(step.then);
      expect(restarts.count, `at ${step.clock}`).toBe(step.count);
    }
  });
});

describe('ThreadRestarts across a wall-clock step', () => {
  const HOUR_MS = 3_600_000;

  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['forward', HOUR_MS],
    ['back', -HOUR_MS],
  ])('keeps the stability window its length when the wall clock steps %s an hour', (_, stepMs) => {
    vi.useFakeTimers();
    const restarts = new ThreadRestarts(STABLE_AFTER_MS);
    restarts.add();
    restarts.sawReady();
    vi.setSystemTime(Date.now() + stepMs);

    // An exit right after the step: the shards were ready for no time at all, so it counts.
    restarts.exited();
    expect(restarts.count).toBe(1);

    // Ready again, and the wall clock steps again: still proven after exactly the window.
    restarts.sawReady();
    vi.setSystemTime(Date.now() + stepMs);
    vi.advanceTimersByTime(STABLE_AFTER_MS - 1);
    expect(restarts.count).toBe(1);
    vi.advanceTimersByTime(1);
    expect(restarts.count).toBe(0);
  });
});
