/**
 * The main thread keeps the count of sessions op 9 ended in a row that a worker shard's thread
 * reports, and starts the shard's next thread with it (see shardHost.invalidatedCarried.test.ts
 * for the thread's side): before, the next thread's shard counted from zero, so each thread
 * restart allowed five more quick identifies. A start of the user's counts afresh, as a shard's.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { violationOf } from '../../src/workers/fromWorkerCheck.js';
import type { ToWorker } from '../../src/workers/messages.js';
import type { WorkerLink } from '../../src/workers/WorkerLink.js';
import { WorkerShard } from '../../src/workers/WorkerShard.js';
import { PAUSE_MS, PAUSED_AT, pausedWorkerShard } from './support/pausedWorkerShard.js';

/** A started worker shard over a link that records what it posts. */
function startedShard(): { shard: WorkerShard; posted: ToWorker[] } {
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
  return { shard, posted };
}

const starts = (posted: readonly ToWorker[]) =>
  posted.filter((message): message is Extract<ToWorker, { type: 'start' }> => message.type === 'start');

describe('the op 9 count of a worker shard across its threads', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the next thread starts the shard with the count its lost thread reported last', () => {
    const { shard, posted } = startedShard();
    expect(starts(posted)[0]).not.toHaveProperty('invalidatedSessions');
    shard.receive([0, 'invalidated', 2]);
    shard.receive([0, 'invalidated', 3]);
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    expect(starts(posted).at(-1)).toMatchObject({ type: 'start', invalidatedSessions: 3 });
    void shard.close();
  });

  it('a count the thread started over (a stable connection) is not carried', () => {
    const { shard, posted } = startedShard();
    shard.receive([0, 'invalidated', 4]);
    shard.receive([0, 'invalidated', 0]);
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    expect(starts(posted).at(-1)).not.toHaveProperty('invalidatedSessions');
    void shard.close();
  });

  it('is carried past the pause the main thread holds for the lost thread', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const { shard, posted } = pausedWorkerShard();
    shard.receive([0, 'invalidated', 5]);
    shard.lost('the worker thread exited', 1_000);
    shard.relaunch();
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    expect(starts(posted)).toEqual([expect.objectContaining({ invalidatedSessions: 5 })]);
    void shard.close();
  });

  it('a start after close() counts afresh', async () => {
    const { shard, posted } = startedShard();
    shard.receive([0, 'invalidated', 4]);
    const closing = shard.close();
    shard.receive([0, 'closed', undefined]);
    await closing;
    void shard.start().catch(() => undefined);
    expect(starts(posted).at(-1)).not.toHaveProperty('invalidatedSessions');
    void shard.close();
  });

  it.each([-1, 1.5, '3', null])('a count of %j from a thread is refused', (count) => {
    const message = { type: 'items', items: [[0, 'invalidated', count]], dispatches: 0 };
    const facts = { ownsShard: (id: number) => id === 0, maxBatch: 8, handlerModule: false };
    expect(violationOf(message, facts)).toMatch(/invalidated sessions/);
  });

  it('a count from a thread is taken', () => {
    const message = { type: 'items', items: [[0, 'invalidated', 7]], dispatches: 0 };
    const facts = { ownsShard: (id: number) => id === 0, maxBatch: 8, handlerModule: false };
    expect(violationOf(message, facts)).toBeUndefined();
  });
});
