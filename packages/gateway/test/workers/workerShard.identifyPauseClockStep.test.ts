/**
 * The op 9 pause a lost thread's shard waits out before the next thread starts it is counted on the
 * steady clock, as the shard counts its own: a wall clock stepped back would hold the start past
 * the pause (by the step), stepped forward would show no pause while the start is still held.
 * `vi.setSystemTime` moves the wall clock only; timers and `performance.now()` keep real pace.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAUSE_MS, PAUSED_AT, pausedWorkerShard, typesOf } from './support/pausedWorkerShard.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Minutes (of timer time) until the shard posts its start, up to `limit`; `undefined` if it did not. */
async function minutesUntilStart(posted: { type: string }[], limit: number): Promise<number | undefined> {
  for (let minute = 1; minute <= limit; minute++) {
    await vi.advanceTimersByTimeAsync(MINUTE);
    if (posted.some((message) => message.type === 'start')) return minute;
  }
  return undefined;
}

describe('the start held for a lost thread’s op 9 pause', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends with the pause when the wall clock stepped back an hour before the thread was lost', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted } = pausedWorkerShard();
    vi.setSystemTime(PAUSED_AT - HOUR);
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    expect(await minutesUntilStart(posted, 80)).toBe(PAUSE_MS / MINUTE);
  });

  it('ends with the pause when the wall clock stepped back an hour before the next thread started', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted } = pausedWorkerShard();
    const delays: (number | undefined)[] = [];
    shard.on('close', (event) => delays.push(event.delayMs));
    shard.lost('the worker thread exited', 1_000);
    vi.setSystemTime(Date.now() - HOUR);
    await vi.advanceTimersByTimeAsync(1_000);
    shard.relaunch();
    expect(delays).toEqual([PAUSE_MS]);
    expect(await minutesUntilStart(posted, 80)).toBe(PAUSE_MS / MINUTE);
  });

  it('is still shown while the start is held after the wall clock stepped forward an hour', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted, pause } = pausedWorkerShard();
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    await vi.advanceTimersByTimeAsync(MINUTE);
    vi.setSystemTime(Date.now() + HOUR);
    expect(shard.status().identifyPause).toEqual(pause);
    await vi.advanceTimersByTimeAsync(PAUSE_MS - MINUTE - 1);
    expect(typesOf(posted)).toEqual([]);
    expect(shard.status().identifyPause).toEqual(pause);
    await vi.advanceTimersByTimeAsync(1);
    expect(typesOf(posted)).toEqual(['start']);
    expect(shard.status().identifyPause).toBeUndefined();
  });

  it('keeps its end when the thread is lost again after the wall clock stepped back', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted } = pausedWorkerShard();
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    vi.setSystemTime(Date.now() - HOUR);
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    expect(await minutesUntilStart(posted, 80)).toBe(5);
  });
});
