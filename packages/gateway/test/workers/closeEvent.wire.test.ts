import { describe, expect, it, vi } from 'vitest';
import { workerThreads, type ShardCloseEvent } from '@bot/gateway';
import { violationOf } from '../../src/workers/fromWorkerCheck.js';
import type { FromWorker } from '../../src/workers/messages.js';
import { closedPort } from '../support/closedPort.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

/** A thread's message carrying one shard close event. */
function closeItem(event: Record<string, unknown>): FromWorker {
  return { type: 'items', items: [[0, 'close', event as never]], dispatches: 0 };
}

const refused = {
  code: 1006,
  reason: 'could not connect (connect ECONNREFUSED 127.0.0.1:9); the socket never opened',
  next: 'resume',
  delayMs: 1_000,
};

describe('a close event crossing from a worker thread', () => {
  it('passes the checks with the connect error that kept its socket from opening, or without one', () => {
    const connectError = 'connect ECONNREFUSED 127.0.0.1:9';
    expect(
      violationOf(closeItem({ ...refused, connectError }), {
        ownsShard: () => true,
        maxBatch: 4,
        handlerModule: false,
      }),
    ).toBeUndefined();
    expect(
      violationOf(closeItem(refused), { ownsShard: () => true, maxBatch: 4, handlerModule: false }),
    ).toBeUndefined();
  });

  it('is refused when its connect error is not text', () => {
    expect(
      violationOf(closeItem({ ...refused, connectError: 42 }), {
        ownsShard: () => true,
        maxBatch: 4,
        handlerModule: false,
      }),
    ).toBe('a close event has a connect error that is not text');
  });

  emulatorTest(
    'reaches the manager with the connect error of a shard on a thread whose socket never opened',
    async ({ emulatorOfTest }) => {
      await workerEmulator(emulatorOfTest);
      const port = await closedPort();
      const session_start_limit = { total: 1_000, remaining: 1_000, reset_after: 0, max_concurrency: 1 };
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }), {
        gateway: {
          gatewayBot: () =>
            Promise.resolve({ url: `ws://127.0.0.1:${port}`, shards: 1, session_start_limit }),
        },
      });
      const closes: ShardCloseEvent[] = [];
      manager.on('close', (event) => closes.push(event));
      void manager.startShards(1).catch(() => undefined);
      await vi.waitFor(() => expect(closes.length).toBeGreaterThan(0), WAIT);
      expect(closes[0]).toMatchObject({ code: 1006, connectError: `connect ECONNREFUSED 127.0.0.1:${port}` });
      await manager.shutdownAll();
    },
  );
});
