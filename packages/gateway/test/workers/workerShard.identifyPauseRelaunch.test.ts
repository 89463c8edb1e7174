/**
 * A worker shard whose thread is lost while it waits out an op 9 pause: the next thread starts it
 * with its counts at zero and would identify at once, so a thread exiting again and again would
 * start a session on every restart and spend the daily budget the pause protects. The main thread
 * holds the next thread's start until the pause ends; a restart cuts it short (as it cuts the
 * shard's own pause short), a close needs no thread.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IdentifyPause, ShardStatus } from '@bot/gateway';
import type { ToWorker } from '../../src/workers/messages.js';
import type { WorkerLink } from '../../src/workers/WorkerLink.js';
import { WorkerShard } from '../../src/workers/WorkerShard.js';

const NOW = 1_800_000_000_000;
const PAUSE_MS = 600_000;

/** A started worker shard that reported an op 9 pause of PAUSE_MS, and the messages it posted. */
function pausedShard(until = NOW + PAUSE_MS) {
  const posted: ToWorker[] = [];
  const link: WorkerLink = {
    attach: () => undefined,
    post: (message: ToWorker) => {
      posted.push(message);
      return true;
    },
    nextCall: () => 0,
    detach: () => undefined,
    unresponsive: () => undefined,
  };
  const shard = new WorkerShard(0, 1, 'ws://127.0.0.1:9/never', link);
  shard.on('error', () => undefined);
  void shard.start().catch(() => undefined);
  const pause: IdentifyPause = { reason: 'invalidatedSessions', sessions: 5, ms: PAUSE_MS, until };
  const status: ShardStatus = {
    id: 0,
    total: 1,
    state: 'reconnecting',
    latency: undefined,
    seq: 41,
    sessionId: 'S1',
    reconnects: 5,
    attempt: 5,
    lastCloseCode: undefined,
    paused: false,
    identifyPause: pause,
  };
  shard.receive([0, 'state', 'reconnecting', 'ready', status]);
  posted.length = 0;
  return { shard, posted, pause };
}

const types = (posted: ToWorker[]) => posted.map((message) => message.type);

describe('a worker shard relaunched during an op 9 pause', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is started on the next thread only once the pause ends, and says so meanwhile', async () => {
    vi.useFakeTimers({ now: NOW });
    const { shard, posted, pause } = pausedShard();
    const closes: (number | undefined)[] = [];
    shard.on('close', (event) => closes.push(event.delayMs));
    shard.lost('the worker thread exited', 1_000);
    expect(closes).toEqual([PAUSE_MS]);
    await vi.advanceTimersByTimeAsync(1_000);
    shard.relaunch();
    expect(types(posted)).toEqual([]);
    expect(shard.status()).toMatchObject({ state: 'reconnecting', identifyPause: pause });

    await vi.advanceTimersByTimeAsync(PAUSE_MS - 1_001);
    expect(types(posted)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(types(posted)).toEqual(['start']);
    expect(shard.status().identifyPause).toBeUndefined();
  });

  it('keeps the pause when the thread is lost again before it ended', async () => {
    vi.useFakeTimers({ now: NOW });
    const { shard, posted, pause } = pausedShard();
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    await vi.advanceTimersByTimeAsync(10_000);
    shard.lost('the worker thread exited', 1_000);
    expect(shard.status().identifyPause).toEqual(pause);
    shard.relaunch();
    await vi.advanceTimersByTimeAsync(PAUSE_MS - 10_001);
    expect(types(posted)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(types(posted)).toEqual(['start']);
  });

  it('is started at once by restart(), which would otherwise reach a thread without the shard', async () => {
    vi.useFakeTimers({ now: NOW });
    const { shard, posted } = pausedShard();
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    shard.restart();
    expect(types(posted)).toEqual(['start']);
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    expect(types(posted)).toEqual(['start']);
  });

  it('is closed without asking the thread, which does not run it, and never started', async () => {
    vi.useFakeTimers({ now: NOW });
    const { shard, posted } = pausedShard();
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    await expect(shard.close()).resolves.toEqual({ sessionId: 'S1', seq: 41, shardCount: 1 });
    expect(shard.status().state).toBe('closed');
    expect(shard.status().identifyPause).toBeUndefined();
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    expect(types(posted)).toEqual([]);
  });

  it('is started at once when the pause has already ended', async () => {
    vi.useFakeTimers({ now: NOW });
    const { shard, posted } = pausedShard(NOW + 500);
    shard.lost('the worker thread exited', 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(shard.status().identifyPause).toBeUndefined();
    shard.relaunch();
    expect(types(posted)).toEqual(['start']);
  });
});
