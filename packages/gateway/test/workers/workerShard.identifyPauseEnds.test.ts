/**
 * A worker shard's `status().identifyPause` mirrors the op 9 pause its thread reported, and ends
 * when that pause ends, not when the thread's next state report arrives: the thread's shard ends
 * the pause without a state change when reading is paused (it stays `reconnecting` until
 * resumed), and a report may be held up behind a busy main thread. A restart ends it at once, as
 * a shard's own restart does. Fake timers fake `performance.now()` too, the steady clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAUSE_MS, PAUSED_AT, pausedWorkerShard, typesOf } from './support/pausedWorkerShard.js';

describe('identifyPause of a worker shard whose thread runs', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is shown until the reported pause ends, and not after, with no further report', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, pause } = pausedWorkerShard();
    await vi.advanceTimersByTimeAsync(PAUSE_MS - 1);
    expect(shard.status().identifyPause).toEqual(pause);
    await vi.advanceTimersByTimeAsync(1);
    expect(shard.status().identifyPause).toBeUndefined();
    expect(shard.status().state).toBe('reconnecting');
  });

  it('ends with the pause when the report came late (the rest of the pause only)', async () => {
    vi.useFakeTimers({ now: PAUSED_AT + 60_000 });
    const { shard } = pausedWorkerShard();
    await vi.advanceTimersByTimeAsync(PAUSE_MS - 60_000);
    expect(shard.status().identifyPause).toBeUndefined();
  });

  it('ends with the pause when the wall clock stepped back after the report', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard } = pausedWorkerShard();
    vi.setSystemTime(PAUSED_AT - 3_600_000);
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    expect(shard.status().identifyPause).toBeUndefined();
  });

  it('ends at once on restart(), which the thread is asked for', () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted } = pausedWorkerShard();
    shard.restart();
    expect(typesOf(posted)).toEqual(['restart']);
    expect(shard.status().identifyPause).toBeUndefined();
  });

  it('is shown again when the next report brings a new pause', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, pause } = pausedWorkerShard();
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    const next = { ...pause, sessions: 6, until: Date.now() + PAUSE_MS };
    shard.receive([0, 'state', 'connecting', 'reconnecting', { ...shard.status(), state: 'connecting' }]);
    shard.receive([0, 'state', 'reconnecting', 'connecting', { ...shard.status(), identifyPause: next }]);
    expect(shard.status().identifyPause).toEqual(next);
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    expect(shard.status().identifyPause).toBeUndefined();
  });
});
