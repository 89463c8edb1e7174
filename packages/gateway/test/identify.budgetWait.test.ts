/**
 * A shard waiting for a used-up session-start budget: the wait never spins Node's timers, however
 * far away the reset is, and it is reported once per shard instead of sitting silent.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY } from '@bot/core';
import { InMemoryIdentifyQueue, SessionStartsUsedUpError } from '@bot/gateway';

const usedUp = { maxConcurrency: 1, total: 1_000, remaining: 0 };

describe('InMemoryIdentifyQueue waiting for a budget reset', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('arms one timer for a turn further away than the longest timer delay, not one every millisecond', async () => {
    vi.useFakeTimers();
    const queue = new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 10,
      remaining: 10,
      resetAfterMs: 0,
      windowMs: MAX_TIMER_DELAY,
      marginMs: MAX_TIMER_DELAY,
    });
    await queue.wait(0);
    const armed = vi.spyOn(globalThis, 'setTimeout');
    let granted = false;
    void queue.wait(1).then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(armed.mock.calls.length).toBeLessThanOrEqual(1);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * MAX_TIMER_DELAY);
    expect(granted).toBe(true);
  });

  it('reads the wall clock only to date a wait for the budget, not at every turn', async () => {
    vi.useFakeTimers();
    const reports: SessionStartsUsedUpError[] = [];
    const queue = new InMemoryIdentifyQueue(
      { maxConcurrency: 1, total: 3, remaining: 3, resetAfterMs: 60_000, windowMs: 1_000, marginMs: 0 },
      { onBudgetWait: (report) => reports.push(report) },
    );
    const wallClock = vi.spyOn(Date, 'now');
    const turns = [0, 1, 2].map((shardId) => queue.wait(shardId));
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(turns);
    expect(wallClock).not.toHaveBeenCalled();

    void queue.wait(3); // the budget is used up: this wait is reported, with its date
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reports).toHaveLength(1);
    expect(wallClock).toHaveBeenCalled();
  });

  it('refuses limits whose reset or period no timer can wait for, naming the field', () => {
    expect(() => new InMemoryIdentifyQueue({ ...usedUp, resetAfterMs: 2 ** 31 })).toThrow(/resetAfterMs/);
    expect(() => new InMemoryIdentifyQueue({ ...usedUp, resetAfterMs: 0, periodMs: 2 ** 31 })).toThrow(
      /periodMs/,
    );
    expect(() => new InMemoryIdentifyQueue({ ...usedUp, resetAfterMs: 0, windowMs: 2 ** 31 })).toThrow(
      /windowMs/,
    );
  });

  it('reports a shard waiting for the reset once, with the time it will identify and what to do', async () => {
    vi.useFakeTimers({ now: 0 });
    const reports: SessionStartsUsedUpError[] = [];
    const queue = new InMemoryIdentifyQueue(
      { ...usedUp, resetAfterMs: 60_000 },
      { onBudgetWait: (report) => reports.push(report) },
    );
    const granted: number[] = [];
    void queue.wait(3).then(() => granted.push(3));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toBeInstanceOf(SessionStartsUsedUpError);
    expect(report?.kind).toBe('gateway');
    expect(report?.shardId).toBe(3);
    expect(report?.resetAt.getTime()).toBe(60_000);
    expect(report?.message).toMatch(/shard 3: .*session starts .*used up.*1970-01-01T00:01:00\.000Z/);
    expect(report?.message).toMatch(/resume|raise/);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(granted).toEqual([3]);
    expect(reports).toHaveLength(1);
  });

  it('reports every shard waiting in one bucket, not only the first in line', async () => {
    vi.useFakeTimers({ now: 0 });
    const reports: SessionStartsUsedUpError[] = [];
    const queue = new InMemoryIdentifyQueue(
      { ...usedUp, resetAfterMs: 60_000 },
      { onBudgetWait: (report) => reports.push(report) },
    );
    for (const shardId of [0, 1, 2, 3]) void queue.wait(shardId);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reports.map((report) => report.shardId).sort()).toEqual([0, 1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reports).toHaveLength(4);
  });
});
