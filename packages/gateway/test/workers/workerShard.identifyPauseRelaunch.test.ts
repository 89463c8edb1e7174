/**
 * A worker shard whose thread is lost while it waits out an op 9 pause: the next thread starts it
 * with its counts at zero and would identify at once, so a thread exiting again and again would
 * start a session on every restart and spend the daily budget the pause protects. The main thread
 * holds the next thread's start until the pause ends; a restart cuts it short (as it cuts the
 * shard's own pause short), a close needs no thread.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAUSE_MS, PAUSED_AT, pausedWorkerShard, typesOf } from './support/pausedWorkerShard.js';

describe('a worker shard relaunched during an op 9 pause', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is started on the next thread only once the pause ends, and says so meanwhile', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted, pause } = pausedWorkerShard();
    const closes: (number | undefined)[] = [];
    shard.on('close', (event) => closes.push(event.delayMs));
    shard.lost('the worker thread exited', 1_000);
    expect(closes).toEqual([PAUSE_MS]);
    await vi.advanceTimersByTimeAsync(1_000);
    shard.relaunch();
    expect(typesOf(posted)).toEqual([]);
    expect(shard.status()).toMatchObject({ state: 'reconnecting', identifyPause: pause });

    await vi.advanceTimersByTimeAsync(PAUSE_MS - 1_001);
    expect(typesOf(posted)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(typesOf(posted)).toEqual(['start']);
    expect(shard.status().identifyPause).toBeUndefined();
  });

  it('keeps the pause when the thread is lost again before it ended', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted, pause } = pausedWorkerShard();
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    await vi.advanceTimersByTimeAsync(10_000);
    shard.lost('the worker thread exited', 1_000);
    expect(shard.status().identifyPause).toEqual(pause);
    shard.relaunch();
    await vi.advanceTimersByTimeAsync(PAUSE_MS - 10_001);
    expect(typesOf(posted)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(typesOf(posted)).toEqual(['start']);
  });

  it('is started at once by restart(), which would otherwise reach a thread without the shard', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted } = pausedWorkerShard();
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    shard.restart();
    expect(typesOf(posted)).toEqual(['start']);
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    expect(typesOf(posted)).toEqual(['start']);
  });

  it('is closed without asking the thread, which does not run it, and never started', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted } = pausedWorkerShard();
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    await expect(shard.close()).resolves.toEqual({ sessionId: 'S1', seq: 41, shardCount: 1 });
    expect(shard.status().state).toBe('closed');
    expect(shard.status().identifyPause).toBeUndefined();
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    expect(typesOf(posted)).toEqual([]);
  });

  it('is started at once when the pause has already ended', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted } = pausedWorkerShard({ until: PAUSED_AT + 500 });
    shard.lost('the worker thread exited', 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(shard.status().identifyPause).toBeUndefined();
    shard.relaunch();
    expect(typesOf(posted)).toEqual(['start']);
  });
});
