import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { isBotError } from '@bot/core';
import { workerThreads, WorkerRestartsExhaustedError as PackageRestartsExhausted } from '@bot/gateway';
import { STARTING_SILENCE_MS } from '../../src/workers/ThreadWatchdog.js';
import { ThreadUnresponsiveError } from '../../src/workers/ThreadUnresponsiveError.js';
import { WorkerRestartsExhaustedError } from '../../src/workers/WorkerRestartsExhaustedError.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { oneShardThread } from './support/oneShardThread.js';
import { emulatorFor, workerManager } from './support/threadedManager.js';
import { failure } from './support/waits.js';

// A thread stuck before it ever answered (its script or its handler module's top-level code in a
// synchronous loop, or waiting on a lock nobody releases) never exits: unless the main thread
// judges it too, its shards keep starting forever and nobody is told why.

const BLOCKING_TOP_LEVEL = new URL('./fixtures/blockingTopLevel.ts', import.meta.url);
const HANDLER = 'file:///srv/bot/handler.js';
const UNRESPONSIVE_MS = 1_000;
/**
 * Longest a thread that never answers may last: its first question, then the silence allowed
 * while loading, checked every quarter, and a margin for starting threads on a loaded machine.
 * The least is that silence.
 */
const JUDGED_WITHIN_MS = UNRESPONSIVE_MS / 4 + STARTING_SILENCE_MS + UNRESPONSIVE_MS / 4 + 5_000;

/** What `run` settled with, or a text saying it had not settled after `ms`. */
function within(run: Promise<unknown>, ms: number): Promise<unknown> {
  const late = new Promise((resolve) =>
    setTimeout(() => resolve(`still pending after ${ms} ms`), ms).unref(),
  );
  return Promise.race([failure(run), late]);
}

describe('a worker thread that hangs before its first answer', () => {
  it(
    'is replaced like a thread that stopped answering; once the restarts are spent, start() rejects within a bounded time, caused by a ThreadUnresponsiveError naming the thread and its handler module',
    async () => {
      const { thread, shard } = oneShardThread(
        { eval: true, entry: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);' },
        {
          maxRestarts: 1,
          unresponsiveMs: UNRESPONSIVE_MS,
          init: { handler: { module: HANDLER, data: null } },
        },
      );
      const states: string[] = [];
      shard.on('state', (state) => states.push(state));
      shard.on('error', () => undefined);
      const began = performance.now();

      const error = await within(shard.start(), 2 * JUDGED_WITHIN_MS);

      expect(error).toBeInstanceOf(WorkerRestartsExhaustedError);
      expect(error).toMatchObject({ restarts: 1, shardIds: [0] });
      expect(performance.now() - began).toBeGreaterThanOrEqual(2 * STARTING_SILENCE_MS);
      const cause = (error as Error).cause;
      expect(cause).toBeInstanceOf(ThreadUnresponsiveError);
      expect(cause).toMatchObject({
        kind: 'threadUnresponsive',
        thread: 0,
        module: HANDLER,
        phase: 'loading',
        allowedMs: STARTING_SILENCE_MS,
      });
      expect((cause as Error).message).toContain(`top-level code or setup of its handler module ${HANDLER}`);
      expect((cause as Error).message).toContain('raise workerThreads({ unresponsiveMs })');
      expect(states).toEqual(['reconnecting', 'fatal']); // the thread never reported its shard connecting
      expect(thread.thread).toBeUndefined();
    },
    3 * JUDGED_WITHIN_MS,
  );

  emulatorTest(
    'a handler module whose top-level code blocks its thread: the manager start() rejects, naming the module and what to do',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const strategy = workerThreads({
        workers: 1,
        handler: BLOCKING_TOP_LEVEL,
        unresponsiveMs: UNRESPONSIVE_MS,
        maxRestarts: 0,
      });
      const manager = workerManager(emulatorOfTest, strategy);
      const began = performance.now();

      const error = await within(manager.start(), JUDGED_WITHIN_MS);

      // Not judged before the loading allowance, however small unresponsiveMs is.
      expect(performance.now() - began).toBeGreaterThanOrEqual(STARTING_SILENCE_MS);
      expect(error).toBeInstanceOf(PackageRestartsExhausted);
      const cause = (error as Error).cause;
      expect(isBotError(cause) && cause.kind).toBe('threadUnresponsive');
      expect(cause).toMatchObject({
        module: BLOCKING_TOP_LEVEL.href,
        phase: 'loading',
        allowedMs: STARTING_SILENCE_MS,
      });
      expect((cause as Error).message).toMatch(/make loading the module return/);
    },
    2 * JUDGED_WITHIN_MS,
  );
});
