import { describe, expect, vi } from 'vitest';
import { GatewayError, workerThreads } from '@bot/gateway';
import { WAIT } from './support/waits.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';

// A shard on a worker thread is a ShardHandle like an in-process Shard: start() while its close()
// runs is refused, saying what to do, and a start once the close has resolved runs it again on a
// thread (before, the closed shard was no longer given its thread's reports, and never got ready).

describe('a worker shard started while it closes, then after', () => {
  emulatorTest(
    'is refused during the close, and runs again on a thread after it',
    async ({ emulatorOfTest }) => {
      await workerEmulator(emulatorOfTest);
      const bot = emulatorOfTest.manager({ strategy: workerThreads({ workers: 1 }) });
      void bot.start().catch(() => undefined);
      await vi.waitFor(() => expect(bot.status()[0]?.state).toBe('ready'), WAIT);
      const shard = bot.shards.get(0)!;

      const closing = shard.close();
      const refused = await shard.start().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(GatewayError);
      expect((refused as Error).message).toContain('is closing: start it again once close() has resolved');
      await closing;
      expect(shard.state).toBe('closed');

      await shard.start();
      expect(shard.state).toBe('ready');
      await shard.close();
      await bot.shutdownAll();
    },
  );
});
