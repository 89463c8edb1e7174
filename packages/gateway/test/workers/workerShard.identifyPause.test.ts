/**
 * A worker shard's status mirrors the snapshot its thread posted at the last state change,
 * `identifyPause` included. Once the main thread moves the shard on by itself (it failed for
 * good, or it was closed with no thread to ask), the thread's pause no longer holds: the status
 * said the shard still waited for it. A lost thread's pause holds: the next thread's start waits
 * for it (workerShard.identifyPauseRelaunch.test.ts). And the pause
 * handed out was the mirror's own object, which a caller could change.
 */
import { describe, expect, it } from 'vitest';
import { WorkerRestartsExhaustedError, type IdentifyPause, type ShardStatus } from '@bot/gateway';
import type { ToWorker } from '../../src/workers/messages.js';
import type { WorkerLink } from '../../src/workers/WorkerLink.js';
import { WorkerShard } from '../../src/workers/WorkerShard.js';

const PAUSE: IdentifyPause = {
  reason: 'invalidatedSessions',
  sessions: 5,
  ms: 692_000,
  until: 1_800_000_000_000,
};

/** A worker shard on a link that takes every message (`threadRuns` false: none is being run). */
function pausedShard(threadRuns = true): WorkerShard {
  const link: WorkerLink = {
    attach: () => undefined,
    post: (_message: ToWorker) => threadRuns,
    nextCall: () => 0,
    detach: () => undefined,
    unresponsive: () => undefined,
  };
  const shard = new WorkerShard(0, 1, 'ws://127.0.0.1:9/never', link);
  shard.on('error', () => undefined);
  void shard.start().catch(() => undefined);
  const status: ShardStatus = {
    id: 0,
    total: 1,
    state: 'reconnecting',
    latency: undefined,
    seq: null,
    sessionId: undefined,
    reconnects: 5,
    attempt: 5,
    lastCloseCode: 4009,
    paused: false,
    identifyPause: { ...PAUSE },
  };
  shard.receive([0, 'state', 'reconnecting', 'ready', status]);
  return shard;
}

describe('identifyPause of a worker shard', () => {
  it('is what the thread reported, a copy each time', () => {
    const shard = pausedShard();
    const first = shard.status();
    expect(first.identifyPause).toEqual(PAUSE);
    first.identifyPause!.until = 0;
    expect(shard.status().identifyPause).toEqual(PAUSE);
  });

  it('is kept once the thread is lost: the next one starts the shard when it ends', () => {
    const shard = pausedShard();
    shard.lost('the worker thread exited', 1_000);
    expect(shard.status()).toMatchObject({ state: 'reconnecting', reconnects: 6 });
    expect(shard.status().identifyPause).toEqual(PAUSE);
    void shard.close();
  });

  it('is gone once the shard fails for good', () => {
    const shard = pausedShard();
    shard.failForGood(new WorkerRestartsExhaustedError(0, 3, [0]));
    expect(shard.status().state).toBe('fatal');
    expect(shard.status().identifyPause).toBeUndefined();
  });

  it('is gone once the shard is closed with no thread to ask', async () => {
    const shard = pausedShard(false);
    await shard.close();
    expect(shard.status().state).toBe('closed');
    expect(shard.status().identifyPause).toBeUndefined();
  });
});
