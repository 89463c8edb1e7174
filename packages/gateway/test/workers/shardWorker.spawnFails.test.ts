import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerRestartsExhaustedError } from '@bot/gateway';
import type { ShardWorker } from '../../src/workers/ShardWorker.js';
import type { WorkerShard } from '../../src/workers/WorkerShard.js';
import { oneShardThread } from './support/oneShardThread.js';

// Starting a thread can fail at once (Node.js throws ERR_WORKER_INIT_FAILED when the system has
// no thread or memory left). A restart runs from a timer: a throw there would end the process as
// an unhandled rejection, and the shards would wait in `reconnecting` for ever.

const starts = vi.hoisted(() => ({ count: 0, failFrom: Number.POSITIVE_INFINITY }));

vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:worker_threads')>();
  class FailingWorker extends original.Worker {
    public constructor(...args: ConstructorParameters<typeof original.Worker>) {
      starts.count += 1;
      if (starts.count >= starts.failFrom) {
        throw Object.assign(new Error('Worker initialization failure: EAGAIN'), {
          code: 'ERR_WORKER_INIT_FAILED',
        });
      }
      super(...args);
    }
  }
  return { ...original, Worker: FailingWorker };
});

/** Shard 0 of 1 on a thread that exits as soon as it starts, restarted up to twice. */
function exitingThread(): { thread: ShardWorker; shard: WorkerShard } {
  return oneShardThread({ entry: 'process.exit(3);', eval: true }, { closeGraceMs: 1_000, maxRestarts: 2 });
}

describe('a worker thread that cannot be started again', () => {
  afterEach(() => {
    starts.count = 0;
    starts.failFrom = Number.POSITIVE_INFINITY;
  });

  it('stops its shards for good with the start failure as the cause, instead of throwing from the restart timer', async () => {
    starts.failFrom = 2; // the first thread starts (and exits), every restart fails
    const { thread, shard } = exitingThread();
    shard.on('error', () => undefined); // as a manager listens
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const started = shard.start().catch((error: unknown) => error);
      await vi.waitFor(() => expect(shard.state).toBe('fatal'), { timeout: 5_000, interval: 10 });
      const error = await started;
      expect(error).toBeInstanceOf(WorkerRestartsExhaustedError);
      expect(shard.fatalError).toBe(error);
      expect(((error as Error).cause as Error).message).toMatch(/EAGAIN/);
      expect(thread.thread).toBeUndefined();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('rejects a start() whose thread cannot be started, and a later start() runs once threads can start again', async () => {
    starts.failFrom = 2;
    const { shard } = exitingThread();
    shard.on('error', () => undefined);
    const first = shard.start().catch((error: unknown) => error);
    await vi.waitFor(() => expect(shard.state).toBe('fatal'), { timeout: 5_000, interval: 10 });
    await first;

    // Restarts used up, no thread: a start spawns one, which fails at once.
    let outcome: unknown;
    expect(() => {
      outcome = shard.start().catch((error: unknown) => error);
    }).not.toThrow();
    const error = await outcome;
    expect(error).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error | undefined)?.message ?? (error as Error).message).toMatch(
      /EAGAIN/,
    );
    expect(shard.running).toBe(false);

    // Threads can start again: the next start spawns one (which exits, as this thread does).
    starts.failFrom = Number.POSITIVE_INFINITY;
    const again = shard.start().catch((e: unknown) => e);
    await vi.waitFor(() => expect(starts.count).toBeGreaterThanOrEqual(4), { timeout: 5_000, interval: 10 });
    await again;
  });
});
