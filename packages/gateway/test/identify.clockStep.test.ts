/**
 * The in-memory identify queue measures its windows and its budget reset on the steady clock: a
 * wall clock that steps (a time sync, a VM resumed) neither holds identifies back by the size of
 * a step back nor lets one out early after a step forward, which the platform would refuse at the
 * cost of a session start.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemoryIdentifyQueue } from '@bot/gateway';

const HOUR = 3_600_000;
/** The identify window with its default margin (10 % of it): when a bucket opens again. */
const WINDOW_WITH_MARGIN = 5_500;

describe('InMemoryIdentifyQueue when the wall clock steps back', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('grants the next turn of a bucket within a window, not an hour later', async () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const queue = new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 10,
      remaining: 10,
      resetAfterMs: HOUR,
    });
    await queue.wait(0);
    vi.setSystemTime(Date.now() - HOUR);
    let granted = false;
    void queue.wait(1).then(() => (granted = true));

    await vi.advanceTimersByTimeAsync(WINDOW_WITH_MARGIN - 100);
    expect(granted).toBe(false); // still never early
    await vi.advanceTimersByTimeAsync(WINDOW_WITH_MARGIN + 100);
    expect(granted).toBe(true);
  });

  it('refills a used-up budget within its reset span, not an hour after it', async () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const queue = new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 5,
      remaining: 0,
      resetAfterMs: 60_000,
    });
    let granted = false;
    void queue.wait(0).then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(30_000);
    vi.setSystemTime(Date.now() - HOUR);

    await vi.advanceTimersByTimeAsync(29_000);
    expect(granted).toBe(false); // still never early
    await vi.advanceTimersByTimeAsync(2_000);
    expect(granted).toBe(true);
    expect(queue.remaining).toBe(4);
  });

  it('still refills only once the reset is due when the clock runs normally', async () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const queue = new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 5,
      remaining: 0,
      resetAfterMs: 60_000,
    });
    let granted = false;
    void queue.wait(0).then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(granted).toBe(true);
  });

  it('grants no turn early when remaining is read after the step (a metrics poll)', async () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const queue = new InMemoryIdentifyQueue({
      maxConcurrency: 2,
      total: 100,
      remaining: 100,
      resetAfterMs: 24 * HOUR,
      windowMs: 2_000,
      marginMs: 0,
    });
    await queue.wait(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await queue.wait(1); // bucket 1 opens again 2 s from here
    const grantedAt: Record<number, number> = {};
    const start = Date.now();
    void queue.wait(2).then(() => (grantedAt[2] = Date.now() - start));
    void queue.wait(3).then(() => (grantedAt[3] = Date.now() - start));
    await vi.advanceTimersByTimeAsync(300);
    vi.setSystemTime(Date.now() - 60_000);
    expect(queue.remaining).toBe(98);

    await vi.advanceTimersByTimeAsync(1_600);
    expect(grantedAt[2]).toBeDefined(); // bucket 0's window was over 1 s after the start
    expect(grantedAt[3]).toBeUndefined(); // bucket 1's is over 2 s after it
    await vi.advanceTimersByTimeAsync(200);
    expect(grantedAt[3]).toBeDefined();
  });
});

describe('InMemoryIdentifyQueue when the wall clock steps forward', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a bucket closed for its whole window', async () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const queue = new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 10,
      remaining: 10,
      resetAfterMs: HOUR,
    });
    await queue.wait(0);
    await vi.advanceTimersByTimeAsync(1_000);
    vi.setSystemTime(Date.now() + HOUR);
    let granted = false;
    void queue.wait(1).then(() => (granted = true));

    await vi.advanceTimersByTimeAsync(WINDOW_WITH_MARGIN - 1_000 - 1);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toBe(true);
  });

  it('keeps the window of a frame reported sent before the step', async () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const queue = new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 10,
      remaining: 10,
      resetAfterMs: HOUR,
      windowMs: 5_000,
      marginMs: 0,
    });
    await queue.wait(0);
    let granted = false;
    void queue.wait(1).then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(700);
    queue.identifySent(0);
    vi.setSystemTime(Date.now() + HOUR);
    void queue.wait(2); // another shard joins the line: the queue looks at the time again
    await vi.advanceTimersByTimeAsync(4_999);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toBe(true);
  });

  it('keeps a used-up budget until its reset is due, and tells the reset as a date on the wall clock', async () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const resets: Date[] = [];
    const queue = new InMemoryIdentifyQueue(
      { maxConcurrency: 1, total: 5, remaining: 0, resetAfterMs: 60_000 },
      { onBudgetWait: (report) => resets.push(report.resetAt) },
    );
    await vi.advanceTimersByTimeAsync(10_000);
    vi.setSystemTime(Date.now() + HOUR);
    expect(queue.remaining).toBe(0);
    let granted = false;
    void queue.wait(0).then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(0);
    // 50 s after the wall clock's now, which is an hour ahead of the time the reset was set at.
    expect(resets.map((at) => at.getTime())).toEqual([Date.now() + 50_000]);

    await vi.advanceTimersByTimeAsync(49_999);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toBe(true);
    expect(queue.remaining).toBe(4);
  });
});
