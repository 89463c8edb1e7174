import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, vi } from 'vitest';
import { InMemorySessionStore, workerThreads, type SessionInfo } from '@bot/gateway';
import { capturingLogger } from '../support/harness.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { emulatorFor, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

const GATED_FAILING_SETUP = new URL('./fixtures/gatedFailingSetup.ts', import.meta.url);

/** A store whose reads and deletes never answer once `hold` is set, so a closing shard stays closing. */
class HoldingStore extends InMemorySessionStore {
  public hold = false;
  public heldCalls = 0;

  public override get(shardId: number): Promise<SessionInfo | undefined> {
    if (!this.hold) return super.get(shardId);
    this.heldCalls += 1;
    return new Promise(() => undefined);
  }

  public override delete(shardId: number): Promise<void> {
    if (!this.hold) return super.delete(shardId);
    this.heldCalls += 1;
    return new Promise(() => undefined);
  }
}

describe('a handler module that fails while its shards are closing', () => {
  emulatorTest(
    'its ThreadHandlerError is logged once: no shard emits it, and it is not lost',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const gateName = `gated-setup-${process.pid}`;
      const gate = new BroadcastChannel(gateName);
      const setupWaiting = new Promise((resolve) => (gate.onmessage = resolve));
      try {
        const { logger, lines } = capturingLogger();
        const store = new HoldingStore();
        const strategy = workerThreads({
          workers: 1,
          handler: GATED_FAILING_SETUP,
          handlerData: { gate: gateName },
        });
        const manager = workerManager(emulatorOfTest, strategy, { logger, sessionStore: store });
        const errors: unknown[] = [];
        manager.on('error', (error) => errors.push(error));
        const run = manager.startShards(1);
        run.catch(() => undefined);
        await setupWaiting;

        // The shard's start waits for the setup; closing it now asks the store what it leaves,
        // which does not answer, so the shard is still closing when the setup fails.
        store.hold = true;
        const shutdown = manager.shutdownAll();
        await vi.waitFor(() => expect(store.heldCalls).toBeGreaterThan(0), WAIT);
        gate.postMessage('fail now');
        await shutdown;

        const reported = lines.filter((line) => line.includes('could not set up its dispatch handler'));
        expect(reported).toHaveLength(1);
        expect(reported[0]).toMatch(/^ERROR /);
        expect(reported[0]).toContain('the database went away during the setup');
        expect(errors).toEqual([]);
      } finally {
        gate.close();
      }
    },
  );
});
