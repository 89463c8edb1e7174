import { describe, expect, vi } from 'vitest';
import { InMemorySessionStore, workerThreads } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, emulatorFor, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

describe('a worker shard shut down while its thread is being restarted', () => {
  emulatorTest(
    'forgets the session stored as the thread exited when the shutdown invalidates it',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const store = new InMemorySessionStore();
      // Restarted long after the shutdown: no thread runs the shard when it is asked to close.
      const strategy = workerThreads({ workers: 1, restartBaseMs: 60_000, restartMaxMs: 60_000 });
      const manager = workerManager(emulatorOfTest, strategy, { sessionStore: store });
      void manager.startShards(1).catch(() => undefined);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const { sessionId } = manager.status()[0] ?? {};

      await strategy.threads()[0]?.thread?.terminate();
      await vi.waitFor(async () => expect((await store.get(0))?.sessionId).toBe(sessionId), WAIT);
      await expect(manager.shutdown(0, { invalidateSessions: true })).resolves.toBeUndefined();
      expect(await store.get(0)).toBeUndefined();
    },
  );
});
