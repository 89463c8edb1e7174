import { afterEach, describe, expect, it, vi } from 'vitest';
import { msUntil, steadyNow } from '@bot/core';

describe('the steady clock', () => {
  afterEach(() => vi.useRealTimers());

  it('moves with time, not with the wall clock stepped back or forward', () => {
    vi.useFakeTimers();
    const start = steadyNow();
    vi.setSystemTime(Date.now() - 3_600_000);
    expect(steadyNow()).toBe(start);
    vi.setSystemTime(Date.now() + 7_200_000);
    expect(steadyNow()).toBe(start);
    vi.advanceTimersByTime(1_500);
    expect(steadyNow() - start).toBe(1_500);
  });

  it('gives what is left of a deadline, whatever the wall clock did, and 0 once it passed', () => {
    vi.useFakeTimers();
    const deadline = steadyNow() + 5_000;
    vi.setSystemTime(Date.now() + 3_600_000);
    expect(msUntil(deadline)).toBe(5_000);
    vi.setSystemTime(Date.now() - 7_200_000);
    vi.advanceTimersByTime(2_000);
    expect(msUntil(deadline)).toBe(3_000);
    vi.advanceTimersByTime(4_000);
    expect(msUntil(deadline)).toBe(0);
  });

  it('gives whole milliseconds, rounded up, so a wait of that length never ends early', () => {
    vi.useFakeTimers();
    const deadline = steadyNow() + 2.25;
    expect(msUntil(deadline)).toBe(3);
    vi.advanceTimersByTime(2);
    expect(msUntil(deadline)).toBe(1);
  });
});
