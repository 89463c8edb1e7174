import { describe, expect, vi } from 'vitest';
import { Deferred } from '@bot/core';
import {
  InMemoryIdentifyQueue,
  InMemorySessionStore,
  ShardManager,
  workerThreads,
  type DispatchPayload,
  type SessionInfo,
} from '@bot/gateway';
import { guildOnShard } from '../support/emulator.js';
import { WAIT } from './support/waits.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';

const ready = (bot: ShardManager) => (): void => expect(bot.status()[0]?.state).toBe('ready');

describe('worker shards forward what the main thread keeps', () => {
  emulatorTest(
    'tells the identify queue when each Identify frame was sent (its window counts from there)',
    async ({ emulatorOfTest }) => {
      await workerEmulator(emulatorOfTest);
      const queue = new InMemoryIdentifyQueue({
        maxConcurrency: 1,
        total: 1000,
        remaining: 1000,
        resetAfterMs: 86_400_000,
      });
      const sent: number[] = [];
      const identifySent = queue.identifySent.bind(queue);
      queue.identifySent = (shardId: number) => {
        sent.push(shardId);
        identifySent(shardId);
      };
      const bot = emulatorOfTest.manager({ strategy: workerThreads({ workers: 1 }), identifyQueue: queue });
      void bot.start();
      await vi.waitFor(ready(bot), WAIT);
      expect(sent).toEqual([0]);
    },
  );

  emulatorTest(
    "heartbeats report no further than the store's durable seq (SessionStore.durableSeq), as in-process",
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, { heartbeatInterval: 1_000 });
      const durable = 2;
      const store = new InMemorySessionStore();
      const durableStore = Object.assign(store, {
        durableSeq: (_shardId: number, _sessionId: string): number | undefined => durable,
      });
      const bot = emulatorOfTest.manager({
        strategy: workerThreads({ workers: 1 }),
        sessionStore: durableStore,
      });
      let delivered = 0;
      bot.on('dispatch', (payload: DispatchPayload) => {
        if (payload.t === 'AT_MESSAGE_CREATE') delivered += 1;
      });
      void bot.start();
      await vi.waitFor(ready(bot), WAIT);
      for (let i = 0; i < 10; i += 1) {
        emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: `#${i}` }, { guildId: guildOnShard(0, 1, i) });
      }
      await vi.waitFor(() => expect(delivered).toBe(10), WAIT);
      const after = emu.recorder.mark();
      const heartbeats = (): unknown[] =>
        emu.recorder
          .filter((record) => record.index >= after && record.kind === 'gateway' && record.op === 1)
          .map((record) => (record as { d: unknown }).d);
      await vi.waitFor(() => expect(heartbeats().length).toBeGreaterThanOrEqual(2), WAIT);
      expect(bot.status()[0]?.seq).toBeGreaterThan(durable);
      expect(new Set(heartbeats())).toEqual(new Set([durable]));
    },
  );
});

describe('a thread restarted while its sessions are saved', () => {
  emulatorTest(
    'is not started a second time once the save ends, when its shards were shut down and started again meanwhile',
    async ({ emulatorOfTest }) => {
      await workerEmulator(emulatorOfTest);
      const store = new InMemorySessionStore();
      const save = new Deferred<void>();
      let holdNextSave = false;
      const set = store.set.bind(store);
      store.set = (id: number, session: SessionInfo) => {
        if (!holdNextSave) return set(id, session);
        holdNextSave = false;
        return save.promise.then(() => set(id, session));
      };
      const strategy = workerThreads({ workers: 1, restartBaseMs: 10, restartMaxMs: 20 });
      const bot = emulatorOfTest.manager({ strategy, sessionStore: store });
      void bot.start();
      await vi.waitFor(ready(bot), WAIT);

      holdNextSave = true;
      await strategy.threads()[0]?.thread?.terminate(); // its session save now waits
      await vi.waitFor(() => expect(bot.status()[0]?.state).toBe('reconnecting'), WAIT);
      expect(holdNextSave).toBe(false); // the save began
      // Past the restart's back-off (20 ms at most): the restart now waits for the save.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await bot.shutdownAll();
      void bot.start();
      await vi.waitFor(ready(bot), WAIT);
      const running = strategy.threads()[0]?.thread;
      expect(running).toBeDefined();

      save.resolve();
      await save.promise;
      await new Promise((resolve) => setImmediate(resolve));
      expect(strategy.threads()[0]?.thread).toBe(running);
    },
  );
});
