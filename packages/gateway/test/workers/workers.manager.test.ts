import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/core';
import {
  InMemorySessionStore,
  ShardManager,
  qqProtocol,
  workerThreads,
  type DispatchPayload,
  type SessionInfo,
  type ShardManagerOptions,
} from '@bot/gateway';
import { guildOnShard } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import {
  allReady,
  collect,
  emulatorFor,
  gatewayFrames,
  publish,
  workerManager,
} from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

describe('shards on worker threads', () => {
  emulatorTest(
    'startShards(4) on 2 threads: every shard ready, each event delivered once with its shard id',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 4);
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 2 }));
      const run = manager.startShards(4);
      await vi.waitFor(allReady(manager, 4), WAIT);
      const received: string[] = [];
      manager.on('dispatch', (payload: DispatchPayload, shardId) => {
        if (payload.t === 'AT_MESSAGE_CREATE') received.push(`${payload.id}@${shardId}`);
      });
      const published = Array.from({ length: 200 }, (_, i) => {
        const shard = i % 4;
        const event = emu.simulate.dispatch(
          'AT_MESSAGE_CREATE',
          { content: `#${i}` },
          { guildId: guildOnShard(shard, 4, i) },
        );
        return `${event.id}@${shard}`;
      });
      await vi.waitFor(() => expect(received).toHaveLength(200), WAIT);
      expect(received.sort()).toEqual(published.sort());
      await manager.shutdownAll();
      await expect(run).resolves.toBeUndefined();
    },
  );

  emulatorTest(
    'paces the identifies of every thread through the one queue on the main thread',
    async ({ emulatorOfTest }) => {
      // One identify per 5 s window for the whole bot; a faster one is closed with 4008.
      const emu = await emulatorOfTest.startEmulator({ pacing: 'platform' });
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 2 }));
      void manager.startShards(2);
      await vi.waitFor(allReady(manager, 2), { ...WAIT, timeout: 30_000 });
      const identifies = emu.recorder.filter((record) => record.kind === 'gateway' && record.op === 2);
      expect(identifies).toHaveLength(2);
      expect(emu.recorder.filter((record) => record.kind === 'close')).toEqual([]);
    },
    40_000,
  );

  emulatorTest(
    'startShard, startShardRange and startAutosharded run on threads as in-process, with the same checks',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 3);
      const strategy = workerThreads({ workers: 2 });
      const manager = workerManager(emulatorOfTest, strategy);
      void manager.startShard(0, 3);
      await vi.waitFor(allReady(manager, 1), WAIT);
      void manager.startShardRange({ from: 1, to: 2 }, 3);
      await vi.waitFor(allReady(manager, 3), WAIT);
      await expect(manager.startShard(1, 3)).rejects.toThrow(ValidationError);
      expect(strategy.threads().map(({ shardIds }) => shardIds.sort())).toEqual([[0, 2], [1]]);
      await manager.shutdownAll();
      expect(strategy.threads().every(({ thread }) => thread === undefined)).toBe(true);

      const auto = workerManager(emulatorOfTest, workerThreads({ workers: 2 }));
      void auto.startAutosharded();
      await vi.waitFor(allReady(auto, 3), WAIT); // the emulator recommends 3 shards
    },
  );

  emulatorTest(
    'reports live latency, restarts one shard (resuming its session), and pauses and resumes reading',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 2, { heartbeatInterval: 2_000 });
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 2 }));
      void manager.startShards(2);
      await vi.waitFor(allReady(manager, 2), WAIT);
      await vi.waitFor(
        () => expect(manager.status().every(({ latency }) => typeof latency === 'number')).toBe(true),
        WAIT,
      );

      const session = manager.status()[1]?.sessionId;
      const resumes = gatewayFrames(emu, 6);
      manager.restart(1);
      await vi.waitFor(
        () =>
          expect(manager.status()[1]).toMatchObject({ state: 'ready', reconnects: 1, sessionId: session }),
        WAIT,
      );
      expect(gatewayFrames(emu, 6)).toBe(resumes + 1);

      const received = collect(manager);
      manager.pause(0);
      expect(manager.shards.get(0)?.paused).toBe(true);
      const held = publish(emu, 10, 2).filter((_, i) => i % 2 === 0);
      const flowing = publish(emu, 10, 2, 1).filter((_, i) => i % 2 === 0); // shard 1 still reads
      await vi.waitFor(() => expect(received).toEqual(expect.arrayContaining(flowing)), WAIT);
      expect(received.filter((id) => held.includes(id))).toEqual([]);
      manager.resume(0);
      await vi.waitFor(() => expect(received).toEqual(expect.arrayContaining(held)), WAIT);
    },
  );

  emulatorTest(
    'pause(id, holder) and resume(id, holder) hold a thread shard under that holder: it reads again once the last one resumes',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 2);
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }));
      void manager.startShards(2);
      await vi.waitFor(allReady(manager, 2), WAIT);
      const received = collect(manager);
      manager.pause(0, 'publisher');
      manager.pause(0, 'lanes');
      manager.pause(0); // the default holder
      const held = publish(emu, 10, 2).filter((_, i) => i % 2 === 0);

      manager.resume(0, 'lanes');
      manager.resume(0);
      expect(manager.shards.get(0)?.pausedBy).toEqual(['publisher']);
      const flowing = publish(emu, 10, 2, 1).filter((_, i) => i % 2 === 0); // shard 1 reads
      await vi.waitFor(() => expect(received).toEqual(expect.arrayContaining(flowing)), WAIT);
      expect(received.filter((id) => held.includes(id))).toEqual([]);
      expect(manager.status()[0]?.paused).toBe(true);

      manager.resume(0, 'publisher');
      expect(manager.shards.get(0)?.paused).toBe(false);
      await vi.waitFor(() => expect(received).toEqual(expect.arrayContaining(held)), WAIT);
    },
  );

  emulatorTest(
    'loses nothing at shutdown: what a thread read reaches the handlers first, the rest is replayed to the next run',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 2);
      const store = new InMemorySessionStore();
      const first = workerManager(emulatorOfTest, workerThreads({ workers: 2 }), { sessionStore: store });
      void first.startShards(2);
      await vi.waitFor(allReady(first, 2), WAIT);
      const before = collect(first);
      const published = publish(emu, 600, 2);
      const sessions = await first.handoff();
      expect([...sessions.keys()].sort()).toEqual([0, 1]);

      const second = workerManager(emulatorOfTest, workerThreads({ workers: 1 }), { sessionStore: store });
      const after = collect(second);
      const identifies = gatewayFrames(emu, 2);
      void second.startShards(2);
      await vi.waitFor(() => expect(before.length + after.length).toBe(600), WAIT);
      expect(gatewayFrames(emu, 2)).toBe(identifies); // both resumed
      expect([...before, ...after].sort()).toEqual([...published].sort());
    },
  );

  emulatorTest(
    'a store answer that cannot cross to the thread fails that call: the shard reports it and identifies',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 1);
      const store = new InMemorySessionStore();
      const odd = {
        get: () => Promise.resolve({ sessionId: 'stale', seq: 1, shardCount: 1, refresh: () => undefined }),
        set: (id: number, session: SessionInfo) => store.set(id, session),
        delete: (id: number) => store.delete(id),
      };
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }), { sessionStore: odd });
      const errors: string[] = [];
      manager.on('error', (error) => {
        // The message, then each cause's, as the thread had them.
        for (let each: unknown = error; each instanceof Error; each = each.cause) errors.push(each.message);
      });
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      expect(errors.some((message) => /could not be cloned/.test(message))).toBe(true);
      expect(gatewayFrames(emu, 2)).toBe(1); // identified, since the stored session never arrived
    },
  );

  it('refuses a custom protocol, which cannot cross to a thread, when the manager is built', () => {
    const options: ShardManagerOptions = {
      intents: 0,
      tokens: { get: () => Promise.resolve('unused'), invalidate: () => undefined },
      gateway: { gatewayBot: () => Promise.reject(new Error('unused')) },
      strategy: workerThreads({ workers: 1 }),
      protocol: qqProtocol,
    };
    expect(() => new ShardManager(options)).toThrow(/protocol cannot be carried to worker threads/);
    expect(() => workerThreads({ workers: 0 })).toThrow(ValidationError);
  });
});
