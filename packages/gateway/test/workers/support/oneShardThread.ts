import { InMemorySessionStore, type SessionStore } from '@bot/gateway';
import type { WorkerInit } from '../../../src/workers/messages.js';
import { ShardWorker } from '../../../src/workers/ShardWorker.js';
import { WorkerShard } from '../../../src/workers/WorkerShard.js';
import { silentLogger } from '../../support/harness.js';

/** What a shard thread is started with in these tests: no intents, small batches, no durable seq. */
export const TEST_INIT: WorkerInit = {
  behaviour: {},
  intents: 0,
  logLevel: 7,
  maxBatch: 16,
  maxUnacked: 64,
  durableSeq: false,
  storeCallMs: 1_000,
  handlerTimeoutMs: 120_000,
};

/** A thread script given as source (`eval`), crafted by a test to stand for a shard thread. */
export interface ThreadScript {
  entry: string;
  eval: true;
}

/**
 * A thread running `script` for shard 0 of 1 (by default, restarts exhausted at its first exit),
 * with services that answer at once, and the main-thread shard attached to it; not started.
 *
 * @param script - what the thread runs
 * @param options - the session store the main thread keeps (a fresh one by default), the shard's
 *   close grace, how many restarts the thread gets (10 ms apart), how long it may answer nothing
 *   and what the thread is started with beyond {@link TEST_INIT}
 */
export function oneShardThread(
  script: ThreadScript,
  options: {
    store?: SessionStore;
    closeGraceMs?: number;
    maxRestarts?: number;
    unresponsiveMs?: number;
    init?: Partial<WorkerInit>;
  } = {},
): { thread: ShardWorker; shard: WorkerShard } {
  const store = options.store ?? new InMemorySessionStore();
  const thread = new ShardWorker(
    0,
    script,
    { ...TEST_INIT, ...options.init },
    () => ({
      identifyQueue: { wait: () => Promise.resolve() },
      sessionStore: store,
      tokens: { get: () => Promise.resolve('token'), invalidate: () => undefined },
      logger: silentLogger(),
    }),
    {
      maxRestarts: options.maxRestarts ?? 0,
      baseMs: 10,
      maxMs: 10,
      ...(options.unresponsiveMs === undefined ? {} : { unresponsiveMs: options.unresponsiveMs }),
    },
  );
  const shard = new WorkerShard(0, 1, 'ws://127.0.0.1:9/never', thread, options.closeGraceMs ?? 5_000);
  thread.attach(shard);
  return { thread, shard };
}
