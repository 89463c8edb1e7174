import { describe, expect, it } from 'vitest';
import { oneShardThread, type ThreadScript } from './support/oneShardThread.js';

/** A thread that reads every message and answers none: a hung shard thread. */
const SILENT_THREAD: ThreadScript = {
  entry: "require('node:worker_threads').parentPort.on('message', () => {});",
  eval: true,
};

describe('a shard thread that does not answer', () => {
  it('ends a close it never reports: the thread is stopped and the close resolves with the session known here', async () => {
    const { thread, shard } = oneShardThread(SILENT_THREAD);
    void shard.start().catch(() => undefined);
    expect(thread.thread).toBeDefined();

    await expect(shard.close({ graceMs: 50 })).resolves.toBeUndefined(); // no session was ever reported
    expect(shard.state).toBe('closed');
    expect(thread.thread).toBeUndefined();
    expect(thread.shardIds).toEqual([]);
  });

  it("ends a close without its own grace after the shard's timeouts.closeGraceMs (plus 2 s), not a default of its own", async () => {
    const { thread, shard } = oneShardThread(SILENT_THREAD, { closeGraceMs: 50 });
    void shard.start().catch(() => undefined);
    // Within the test's 5 s, which a 5 s default grace (7 s with the margin) would not be.
    await expect(shard.close()).resolves.toBeUndefined();
    expect(thread.thread).toBeUndefined();
  }, 5_000);
});
