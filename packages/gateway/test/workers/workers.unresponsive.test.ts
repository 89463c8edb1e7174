import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '@bot/gateway';
import type { WorkerInit } from '../../src/workers/messages.js';
import { ShardWorker } from '../../src/workers/ShardWorker.js';
import { WorkerShard } from '../../src/workers/WorkerShard.js';
import { silentLogger } from '../support/harness.js';

/** A thread that reads every message and answers none: a hung shard thread. */
const SILENT_THREAD = {
  entry: "require('node:worker_threads').parentPort.on('message', () => {});",
  eval: true,
};

const INIT: WorkerInit = {
  behaviour: {},
  intents: 0,
  logLevel: 7,
  maxBatch: 16,
  maxUnacked: 64,
  durableSeq: false,
  storeCallMs: 1_000,
};

describe('a shard thread that does not answer', () => {
  it('ends a close it never reports: the thread is stopped and the close resolves with the session known here', async () => {
    const store = new InMemorySessionStore();
    const thread = new ShardWorker(
      0,
      SILENT_THREAD,
      INIT,
      () => ({
        identifyQueue: { wait: () => Promise.resolve() },
        sessionStore: store,
        tokens: { get: () => Promise.resolve('token'), invalidate: () => undefined },
        logger: silentLogger(),
      }),
      { maxRestarts: 0, baseMs: 10, maxMs: 10 },
    );
    const shard = new WorkerShard(0, 1, 'ws://127.0.0.1:9/never', thread, 5_000);
    thread.attach(shard);
    void shard.start().catch(() => undefined);
    expect(thread.thread).toBeDefined();

    await expect(shard.close({ graceMs: 50 })).resolves.toBeUndefined(); // no session was ever reported
    expect(shard.state).toBe('closed');
    expect(thread.thread).toBeUndefined();
    expect(thread.shardIds).toEqual([]);
  });

  it("ends a close without its own grace after the shard's timeouts.closeGraceMs (plus 2 s), not a default of its own", async () => {
    const thread = new ShardWorker(
      0,
      SILENT_THREAD,
      INIT,
      () => ({
        identifyQueue: { wait: () => Promise.resolve() },
        sessionStore: new InMemorySessionStore(),
        tokens: { get: () => Promise.resolve('token'), invalidate: () => undefined },
        logger: silentLogger(),
      }),
      { maxRestarts: 0, baseMs: 10, maxMs: 10 },
    );
    const shard = new WorkerShard(0, 1, 'ws://127.0.0.1:9/never', thread, 50);
    thread.attach(shard);
    void shard.start().catch(() => undefined);
    // Within the test's 5 s, which a 5 s default grace (7 s with the margin) would not be.
    await expect(shard.close()).resolves.toBeUndefined();
    expect(thread.thread).toBeUndefined();
  }, 5_000);
});
