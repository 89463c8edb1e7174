import { GatewayError, type ShardManager } from '@bot/gateway';
import { describe, expect } from 'vitest';
import { messagesOnShard } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { nextError } from './support/nextError.js';

/** How long each case waits for the manager's error. */
const ERROR_WITHIN_MS = 3_000;

/** Resolves at the manager's `ready` event (its only start call), or rejects after `withinMs`. */
function readyOf(manager: ShardManager, withinMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${withinMs} ms`)), withinMs);
    manager.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('a listener whose promise rejects', () => {
  emulatorTest(
    "of the manager's dispatch is reported on error, named, and the shard carries on",
    async ({ emulatorOfTest }) => {
      const { emulator, manager } = await emulatorOfTest.start();
      const downstream = new Error('downstream publish failed');
      const seen: string[] = [];
      manager.on('dispatch', async (payload) => {
        if (payload.t !== 'AT_MESSAGE_CREATE') return;
        seen.push(payload.id ?? '');
        await Promise.resolve();
        throw downstream;
      });
      const ready = readyOf(manager);
      void manager.start().catch(() => undefined);
      await ready;

      const reported = nextError(manager, ERROR_WITHIN_MS);
      const [first] = messagesOnShard(emulator, 1);
      const { error, shardId } = await reported;
      expect(error).toBeInstanceOf(GatewayError);
      expect(error.message).toBe("shard 0: a 'dispatch' listener of the manager rejected");
      expect(error.cause).toBe(downstream);
      expect(shardId).toBe(0);

      // The shard still delivers: the next event reaches the listener, and is reported again.
      const again = nextError(manager, ERROR_WITHIN_MS);
      const [second] = messagesOnShard(emulator, 1);
      await again;
      expect(seen).toEqual([first, second]);
      expect(manager.status()[0]?.state).toBe('ready');
    },
  );

  emulatorTest("of a shard's own dispatch is reported on the shard's error", async ({ emulatorOfTest }) => {
    const { emulator, manager } = await emulatorOfTest.start();
    const ready = readyOf(manager);
    void manager.start().catch(() => undefined);
    await ready;
    const shard = manager.shards.get(0);
    const downstream = new Error('queue unavailable');
    shard?.on('dispatch', async () => Promise.reject(downstream));

    const reported = nextError(manager, ERROR_WITHIN_MS);
    messagesOnShard(emulator, 1);
    const { error } = await reported;
    expect(error.message).toBe("shard 0: a 'dispatch' listener rejected");
    expect(error.cause).toBe(downstream);
  });

  emulatorTest('returned by onDispatch is reported on error, named', async ({ emulatorOfTest }) => {
    const downstream = new Error('sink closed');
    const { emulator, manager } = await emulatorOfTest.start(
      {},
      {
        onDispatch: async (payload) => {
          if (payload.t === 'AT_MESSAGE_CREATE') throw downstream;
        },
      },
    );
    const ready = readyOf(manager);
    void manager.start().catch(() => undefined);
    await ready;

    const reported = nextError(manager, ERROR_WITHIN_MS);
    messagesOnShard(emulator, 1);
    const { error, shardId } = await reported;
    expect(error.message).toBe('shard 0: onDispatch rejected');
    expect(error.cause).toBe(downstream);
    expect(shardId).toBe(0);
  });

  emulatorTest("of the manager's ready and state is reported on error", async ({ emulatorOfTest }) => {
    const { manager } = await emulatorOfTest.start();
    const errors: Error[] = [];
    manager.on('error', (error) => errors.push(error));
    manager.on('state', async (state) => {
      if (state === 'ready') throw new Error('state listener failed');
    });
    const ready = readyOf(manager);
    manager.on('ready', async () => {
      throw new Error('ready listener failed');
    });
    void manager.start().catch(() => undefined);
    await ready;
    const deadline = Date.now() + 2_000;
    while (errors.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors.map((error) => error.message).sort()).toEqual([
      "shard 0: a 'ready' listener of the manager rejected",
      "shard 0: a 'state' listener of the manager rejected",
    ]);
  });
});
