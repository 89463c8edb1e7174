/**
 * The session a close event names crosses from a worker thread as the thread's shard held it: the
 * client's SessionReplacedError names it, and on op 9 the shard has forgotten the session by the
 * time its status reaches the main thread.
 */
import { describe, expect, vi } from 'vitest';
import { workerThreads, type ShardCloseEvent } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

describe('a close event of a shard on a worker thread', () => {
  emulatorTest(
    'names the session and the seq the shard held when op 9 ended it',
    async ({ emulatorOfTest }) => {
      const emulator = await workerEmulator(emulatorOfTest);
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }));
      const closes: ShardCloseEvent[] = [];
      manager.on('close', (event) => closes.push(event));
      void manager.startShards(1).catch(() => undefined);
      await vi.waitFor(allReady(manager, 1), WAIT);
      emulator.simulate.guildAtMessage({ content: 'one' });
      emulator.simulate.guildAtMessage({ content: 'two' });
      await vi.waitFor(() => expect(manager.status()[0]?.seq).toBe(3), WAIT);
      const { sessionId } = manager.status()[0]!;

      emulator.faults.invalidSession(0, false);
      await vi.waitFor(() => expect(closes.length).toBeGreaterThan(0), WAIT);
      expect(closes[0]).toMatchObject({ next: 'identify', session: { sessionId, seq: 3 } });
      await manager.shutdownAll();
    },
  );
});
