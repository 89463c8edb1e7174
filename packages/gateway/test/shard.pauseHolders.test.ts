/**
 * Several pause authorities share one shard (a client's dispatch back-pressure, a Redis
 * publisher's, a shutdown, your code): reading goes on only once every holder has released its
 * pause, on this thread and on worker threads alike.
 */
import { describe, expect, vi } from 'vitest';
import {
  DEFAULT_PAUSE_HOLDER,
  workerThreads,
  type DispatchPayload,
  type ShardHandle,
  type ShardManager,
} from '@bot/gateway';
import { messagesOnShard } from './support/emulator.js';
import { emulatorTest, type EmulatorAndManager, type EmulatorOfTest } from './support/emulatorTest.js';
import { WAIT } from './workers/support/waits.js';
import { workerEmulator } from './workers/support/workerEmulator.js';
import { advanceBy, advanceUntil, useFakeClock } from './support/harness.js';

/** Collects the ids of the guild messages `manager` delivers, per shard. */
function collect(manager: ShardManager): Map<number, string[]> {
  const ids = new Map<number, string[]>();
  manager.on('dispatch', (payload: DispatchPayload, shardId) => {
    if (payload.t !== 'AT_MESSAGE_CREATE') return;
    ids.set(shardId, [...(ids.get(shardId) ?? []), payload.id ?? '']);
  });
  return ids;
}

function shardOf(manager: ShardManager, id: number): ShardHandle {
  const shard = manager.shards.get(id);
  if (shard === undefined) throw new Error(`shard ${id} is not running`);
  return shard;
}

describe('pause holders on an in-process shard', () => {
  async function boot(emulatorOfTest: EmulatorOfTest): Promise<EmulatorAndManager & { shard: ShardHandle }> {
    useFakeClock();
    const booted = await emulatorOfTest.start({ heartbeatInterval: 41_250, resumeBufferSize: 1_000 });
    booted.manager.start().catch(() => undefined);
    await advanceUntil(() => booted.manager.status()[0]?.state === 'ready', 10_000);
    return { ...booted, shard: shardOf(booted.manager, 0) };
  }

  emulatorTest(
    'reads again only once the last holder resumes, every held event once and in order',
    async ({ emulatorOfTest }) => {
      const { emulator, manager, shard } = await boot(emulatorOfTest);
      const received = collect(manager);
      const lanes = Symbol('lanes');
      shard.pause('publisher');
      shard.pause(lanes);
      expect(shard.pausedBy).toEqual(['publisher', lanes]);
      const sent = messagesOnShard(emulator, 20, 0, 1);

      shard.resume(lanes); // a lane drained below its low-water mark: the publisher still holds it
      await advanceBy(5_000, 250);
      expect(shard.paused).toBe(true);
      expect(shard.status().paused).toBe(true);
      expect(shard.pausedBy).toEqual(['publisher']);
      expect(received.get(0) ?? []).toEqual([]);

      shard.resume('publisher');
      expect(shard.paused).toBe(false);
      expect(shard.pausedBy).toEqual([]);
      await advanceUntil(() => (received.get(0) ?? []).length === sent.length, 5_000);
      expect(received.get(0)).toEqual(sent);
    },
  );

  emulatorTest(
    'is idempotent per holder: a second pause needs no second resume, and a holder holding nothing releases nothing',
    async ({ emulatorOfTest }) => {
      const { shard } = await boot(emulatorOfTest);
      shard.pause('a');
      shard.pause('a');
      shard.resume('b');
      expect(shard.pausedBy).toEqual(['a']);
      shard.resume('a');
      expect(shard.paused).toBe(false);
      shard.resume('a');
      expect(shard.paused).toBe(false);
    },
  );

  emulatorTest(
    'a pause() or resume() without a holder is the default holder, and never lifts another holder',
    async ({ emulatorOfTest }) => {
      const { manager, shard } = await boot(emulatorOfTest);
      shard.pause();
      shard.pause('publisher');
      expect(shard.pausedBy).toEqual([DEFAULT_PAUSE_HOLDER, 'publisher']);
      shard.resume();
      expect(shard.pausedBy).toEqual(['publisher']);
      manager.resume(0); // the manager's shortcut is the default holder's too
      expect(shard.paused).toBe(true);
      shard.resume('publisher');
      expect(shard.paused).toBe(false);
    },
  );
});

describe('pause holders on a worker-thread shard', () => {
  emulatorTest(
    'keeps the holders on the main thread: the thread reads again only once the last holder resumes',
    async ({ emulatorOfTest }) => {
      const emulator = await workerEmulator(emulatorOfTest, { sessionStartLimit: { maxConcurrency: 2 } });
      const manager = emulatorOfTest.manager({ strategy: workerThreads({ workers: 1 }) });
      void manager.startShards(2).catch(() => undefined);
      await vi.waitFor(() => expect(manager.status().map((s) => s.state)).toEqual(['ready', 'ready']), WAIT);
      const received = collect(manager);
      const shard = shardOf(manager, 0);
      shard.pause('publisher');
      shard.pause('lanes');
      const held = messagesOnShard(emulator, 10, 0, 2);

      shard.resume('lanes');
      expect(shard.pausedBy).toEqual(['publisher']);
      const flowing = messagesOnShard(emulator, 10, 1, 2); // shard 1 reads: once they arrive, shard 0 had its chance
      await vi.waitFor(() => expect(received.get(1)).toEqual(flowing), WAIT);
      expect(received.get(0) ?? []).toEqual([]);
      expect(shard.status().paused).toBe(true);

      shard.resume('publisher');
      expect(shard.paused).toBe(false);
      await vi.waitFor(() => expect(received.get(0)).toEqual(held), WAIT);
    },
  );
});
