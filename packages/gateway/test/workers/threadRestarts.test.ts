import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThreadRestarts } from '../../src/workers/ThreadRestarts.js';

describe('ThreadRestarts', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('starts the count over even when its timer fires before the clock says the shards were ready long enough', () => {
    // Only the timers are fake: the clock is driven by hand, lagging the timer as a busy loop's does.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let now = 1_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const restarts = new ThreadRestarts(300);
    restarts.add();
    restarts.sawReady();

    now = 1_299; // the timer fires one millisecond early by the clock
    vi.advanceTimersByTime(300);
    expect(restarts.count).toBe(1);

    now = 1_300;
    vi.advanceTimersByTime(1);
    expect(restarts.count).toBe(0);
  });

  it('keeps counting when the thread exits before its shards proved stable', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let now = 1_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const restarts = new ThreadRestarts(300);
    restarts.add();
    restarts.sawReady();
    now = 1_100;
    restarts.exited();
    now = 2_000;
    vi.advanceTimersByTime(1_000);
    expect(restarts.count).toBe(1);
  });
});
