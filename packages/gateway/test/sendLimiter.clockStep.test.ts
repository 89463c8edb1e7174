import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SendLimiter } from '@bot/gateway';

// The wall clock can step back (a time sync, a resumed VM). The send window must still end one
// window after it began in real time: a heartbeat held until the clock caught up with an hour
// would let the platform close the session.

let written: string[];
let limiter: SendLimiter;

beforeEach(() => {
  vi.useFakeTimers();
  written = [];
  limiter = new SendLimiter((data) => written.push(data), { limit: 5, windowMs: 1_000, reserved: 2 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SendLimiter across a wall-clock step back', () => {
  it('sends what waited for the budget one window later, not when the clock catches up', async () => {
    for (const frame of ['a', 'b', 'c', 'd', 'e']) limiter.sendPriority(frame);
    limiter.sendHeartbeat(() => 'heartbeat');
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e']);
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written).toContain('heartbeat');
  });

  it('ends a window begun before the step one window after the step at the latest', async () => {
    limiter.sendPriority('a');
    vi.setSystemTime(Date.now() - 3_600_000);
    for (const frame of ['b', 'c', 'd', 'e', 'f']) limiter.sendPriority(frame);
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(limiter.msUntilReset()).toBeLessThanOrEqual(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
