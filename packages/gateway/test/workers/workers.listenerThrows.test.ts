import { describe, expect, vi } from 'vitest';
import { GatewayError, workerThreads, type ShardManager } from '@bot/gateway';
import { messagesOnShard } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { capturingLogger } from '../support/harness.js';
import { allReady, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

/** The first `error` the manager emits within `withinMs`, with its shard id. */
function nextError(manager: ShardManager, withinMs = 10_000): Promise<{ error: Error; shardId: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'error' event within ${withinMs} ms`)), withinMs);
    manager.once('error', (error, shardId) => {
      clearTimeout(timer);
      resolve({ error, shardId });
    });
  });
}

describe('a listener of a worker shard that throws', () => {
  emulatorTest(
    "of the shard's own dispatch is reported on error, named, as in-process, and the shard carries on",
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest);
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }));
      void manager.start().catch(() => undefined);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const shard = manager.shards.get(0);
      const downstream = new Error('queue unavailable');
      const seen: string[] = [];
      shard?.on('dispatch', (payload) => {
        if (payload.t !== 'AT_MESSAGE_CREATE') return;
        seen.push(payload.id ?? '');
        throw downstream;
      });

      const reported = nextError(manager);
      const [first] = messagesOnShard(emu, 1);
      const { error, shardId } = await reported;
      expect(error).toBeInstanceOf(GatewayError);
      expect(error.message).toBe("shard 0: a 'dispatch' listener threw");
      expect(error.cause).toBe(downstream);
      expect(shardId).toBe(0);

      // The shard still delivers: the next event reaches the listener, and is reported again.
      const again = nextError(manager);
      const [second] = messagesOnShard(emu, 1);
      await again;
      expect(seen).toEqual([first, second]);
      expect(manager.status()[0]?.state).toBe('ready');
    },
    30_000,
  );

  emulatorTest(
    "of the shard's state keeps no start from resolving at ready, and is reported on error",
    async ({ emulatorOfTest }) => {
      await workerEmulator(emulatorOfTest);
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }));
      void manager.start().catch(() => undefined);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const shard = manager.shards.get(0);
      if (shard === undefined) throw new Error('the manager has no shard 0');
      await shard.close();
      const thrown = new Error('dashboard unavailable');
      shard.on('state', (state) => {
        if (state === 'ready') throw thrown;
      });

      const reported = nextError(manager);
      // Awaited below, once the start is settled: until then its timeout is not left unhandled.
      reported.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const capped = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('start() did not resolve within 10 s')), 10_000);
      });
      try {
        await Promise.race([shard.start(), capped]);
      } finally {
        clearTimeout(timer);
      }
      const { error, shardId } = await reported;
      expect(error.message).toBe("shard 0: a 'state' listener threw");
      expect(error.cause).toBe(thrown);
      expect(shardId).toBe(0);
    },
    30_000,
  );

  emulatorTest(
    "of the shard's error is logged, not reported to itself again",
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest);
      const { logger, lines } = capturingLogger();
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }), { logger });
      void manager.start().catch(() => undefined);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const shard = manager.shards.get(0);
      const errorListenerCalls: Error[] = [];
      shard?.on('error', (error) => {
        errorListenerCalls.push(error);
        throw new Error('alerting is down');
      });
      shard?.on('dispatch', () => {
        throw new Error('queue unavailable');
      });

      messagesOnShard(emu, 1);
      await vi.waitFor(
        () =>
          expect(lines).toContainEqual(
            expect.stringContaining("an 'error' listener threw: alerting is down"),
          ),
        WAIT,
      );
      expect(errorListenerCalls.map((error) => error.message)).toEqual([
        "shard 0: a 'dispatch' listener threw",
      ]);
    },
    30_000,
  );
});
