import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnswerDeadline } from '../src/shard/AnswerDeadline.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('AnswerDeadline', () => {
  it('runs out the time left after a pause, never more than its length, even when the wall clock stepped back meanwhile', () => {
    vi.useFakeTimers();
    const expired = vi.fn();
    const deadline = new AnswerDeadline(15_000, expired);
    deadline.start();
    vi.advanceTimersByTime(5_000);
    vi.setSystemTime(Date.now() - 3_600_000); // an NTP step back by an hour, then a pause
    deadline.pause();
    deadline.resume();
    vi.advanceTimersByTime(15_000);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs out the whole time left after a pause when the wall clock stepped forward meanwhile', () => {
    vi.useFakeTimers();
    const expired = vi.fn();
    const deadline = new AnswerDeadline(15_000, expired);
    deadline.start();
    vi.advanceTimersByTime(5_000);
    vi.setSystemTime(Date.now() + 3_600_000); // a step forward by an hour, then a pause
    deadline.pause();
    vi.advanceTimersByTime(60_000); // paused: the clock stands still
    deadline.resume();
    vi.advanceTimersByTime(9_999);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('does not expire once cleared', () => {
    vi.useFakeTimers();
    const expired = vi.fn();
    const deadline = new AnswerDeadline(1_000, expired);
    deadline.start();
    deadline.clear();
    vi.advanceTimersByTime(5_000);
    expect(expired).not.toHaveBeenCalled();
    expect(deadline.waiting).toBe(false);
  });
});
