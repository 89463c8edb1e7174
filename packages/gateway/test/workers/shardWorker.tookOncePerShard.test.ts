import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemorySessionStore } from '@bot/gateway';
import { HandledSeqCell } from '../../src/workers/HandledSeqCell.js';
import { ShardWorker } from '../../src/workers/ShardWorker.js';
import { WorkerShard } from '../../src/workers/WorkerShard.js';
import { silentLogger } from '../support/harness.js';
import { TEST_INIT } from './support/oneShardThread.js';

/**
 * A crafted thread of shards 0 and 1: once both are started, both are ready (sessions S0 and S1 at
 * seq 1), then one batch of 16 dispatches alternates between them.
 */
const ENTRY = `
  const { parentPort } = require('node:worker_threads');
  const post = (message) => parentPort.postMessage(message);
  const status = (id, seq) => ({ id, total: 2, state: 'ready', latency: undefined, seq, sessionId: 'S' + id,
    reconnects: 0, attempt: 1, lastCloseCode: undefined, paused: false });
  let started = 0;
  parentPort.on('message', (message) => {
    if (message.type !== 'start' || ++started < 2) return;
    post({ type: 'items', dispatches: 0, items: [[0, 'state', 'ready', 'connecting', status(0, 1)],
      [1, 'state', 'ready', 'connecting', status(1, 1)]] });
    const items = [];
    for (let n = 0; n < 16; n += 1) {
      const id = n % 2;
      items.push([id, 'dispatch', { op: 0, s: 2 + (n >> 1), t: 'AT_MESSAGE_CREATE', d: {} }]);
    }
    post({ type: 'items', dispatches: 16, items });
  });`;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('without a handler module, how far the main thread took each shard', () => {
  it('is written once per shard of a message, however its items interleave', async () => {
    const writes = vi.spyOn(HandledSeqCell.prototype, 'write');
    const store = new InMemorySessionStore();
    const thread = new ShardWorker(
      0,
      { entry: ENTRY, eval: true },
      TEST_INIT,
      () => ({
        identifyQueue: { wait: () => Promise.resolve() },
        sessionStore: store,
        tokens: { get: () => Promise.resolve('token'), invalidate: () => undefined },
        logger: silentLogger(),
      }),
      { maxRestarts: 0, baseMs: 10, maxMs: 10 },
    );
    const shards = [0, 1].map((id) => new WorkerShard(id, 2, 'ws://127.0.0.1:9/never', thread, 100));
    const delivered: Array<[number, number]> = [];
    for (const shard of shards) {
      thread.attach(shard);
      shard.on('error', () => undefined);
      shard.on('dispatch', (payload) => delivered.push([shard.id, payload.s as number]));
    }
    try {
      await Promise.all(shards.map((shard) => shard.start()));
      await vi.waitFor(() => expect(delivered).toHaveLength(16), { timeout: 10_000 });
      // Once per shard for the ready batch, once per shard for the dispatches.
      expect(writes).toHaveBeenCalledTimes(4);
      expect(writes).toHaveBeenLastCalledWith('S1', 9);
      expect(writes).toHaveBeenNthCalledWith(3, 'S0', 9);
    } finally {
      for (const shard of shards) await shard.close().catch(() => undefined);
      await thread.ended();
    }
  });
});
