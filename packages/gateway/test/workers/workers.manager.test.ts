import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/core';
import {
  FatalGatewayError,
  InMemorySessionStore,
  ShardManager,
  qqProtocol,
  workerThreads,
  WorkerRestartsExhaustedError,
  type DispatchPayload,
  type SessionInfo,
  type ShardManagerOptions,
  type WorkerThreadsStrategy,
} from '@bot/gateway';
import type { Emulator, EmulatorOptions } from '@bot/testing';
import { guildOnShard } from '../support/emulator.js';
import { WAIT } from './support/waits.js';
import { emulatorTest, type EmulatorOfTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';

/** A manager whose shards run on worker threads against the emulator (real clock: threads keep their own). */
function workerManager(
  emulatorOfTest: EmulatorOfTest,
  strategy: WorkerThreadsStrategy,
  overrides: Partial<ShardManagerOptions> = {},
): ShardManager {
  return emulatorOfTest.manager({ strategy, ...overrides });
}

/** The test's emulator, with room for `shards` identifies at once and a resume buffer of 2,000. */
function emulatorFor(
  emulatorOfTest: EmulatorOfTest,
  shards: number,
  options: EmulatorOptions = {},
): Promise<Emulator> {
  return workerEmulator(emulatorOfTest, {
    sessionStartLimit: { maxConcurrency: shards },
    resumeBufferSize: 2_000,
    ...options,
  });
}

const states = (manager: ShardManager): string[] => manager.status().map((status) => status.state);
const allReady = (manager: ShardManager, count: number) => (): void => {
  expect(states(manager)).toEqual(Array(count).fill('ready'));
};

/** Publishes `count` guild messages spread over `shards` shards; returns their event ids. */
function publish(emu: Emulator, count: number, shards: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const shard = (from + i) % shards;
    return emu.simulate.dispatch(
      'AT_MESSAGE_CREATE',
      { content: `#${from + i}` },
      { guildId: guildOnShard(shard, shards, from + i) },
    ).id;
  });
}

/** Collects the ids of the guild messages the manager delivers. */
function collect(manager: ShardManager): string[] {
  const ids: string[] = [];
  manager.on('dispatch', (payload: DispatchPayload) => {
    if (payload.t === 'AT_MESSAGE_CREATE') ids.push(payload.id ?? '');
  });
  return ids;
}

const gatewayFrames = (emu: Emulator, op: number): number =>
  emu.recorder.filter((record) => record.kind === 'gateway' && record.op === op).length;

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
    'restarts a thread that exits, and its shards resume their sessions (kept on the main thread)',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 2);
      const strategy = workerThreads({ workers: 1, restartBaseMs: 50 });
      const manager = workerManager(emulatorOfTest, strategy, { backoff: { stableAfterMs: 300 } });
      const received = collect(manager);
      void manager.startShards(2);
      await vi.waitFor(allReady(manager, 2), WAIT);
      const sessions = manager.status().map(({ sessionId }) => sessionId);
      const early = publish(emu, 50, 2);
      await vi.waitFor(() => expect(received).toHaveLength(50), WAIT);
      const identifies = gatewayFrames(emu, 2);
      const closes: unknown[] = [];
      manager.on('close', (event, id) => closes.push([id, event.next]));

      await strategy.threads()[0]?.thread?.terminate();
      const late = publish(emu, 50, 2, 50);
      await vi.waitFor(allReady(manager, 2), WAIT);
      await vi.waitFor(() => expect(received).toHaveLength(100), WAIT);
      expect(received.sort()).toEqual([...early, ...late].sort());
      expect(manager.status().map(({ sessionId }) => sessionId)).toEqual(sessions);
      expect(gatewayFrames(emu, 2)).toBe(identifies);
      expect(closes).toEqual([
        [0, 'resume'],
        [1, 'resume'],
      ]);
      // Counted until the shards have stayed ready for backoff.stableAfterMs, then reset.
      await vi.waitFor(() => expect(strategy.threads()[0]?.restarts).toBe(0), WAIT);
    },
  );

  emulatorTest(
    'a thread that exits soon after each resume is not restarted forever: its shards stop with WorkerRestartsExhaustedError',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const strategy = workerThreads({ workers: 1, maxRestarts: 2, restartBaseMs: 20, restartMaxMs: 40 });
      const manager = workerManager(emulatorOfTest, strategy, { onFatal: 'keepHealthy' });
      manager.on('state', (state) => {
        if (state === 'ready') setImmediate(() => void strategy.threads()[0]?.thread?.terminate());
      });
      void manager.start().catch(() => undefined);
      await vi.waitFor(() => expect(manager.status()[0]?.state).toBe('fatal'), WAIT);
      expect(manager.shards.get(0)?.fatalError).toBeInstanceOf(WorkerRestartsExhaustedError);
      expect(manager.shards.get(0)?.fatalError).toMatchObject({ restarts: 2, shardIds: [0] });
    },
  );

  emulatorTest(
    'stops the shards for good with WorkerRestartsExhaustedError once a thread keeps exiting; restart() gives them a new thread',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const strategy = workerThreads({ workers: 1, maxRestarts: 0 });
      const manager = workerManager(emulatorOfTest, strategy, { onFatal: 'keepHealthy' });
      const run = manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      await strategy.threads()[0]?.thread?.terminate();
      const error = await run.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(WorkerRestartsExhaustedError);
      expect(error).toMatchObject({ kind: 'workerRestartsExhausted', thread: 0, restarts: 0, shardIds: [0] });
      expect(manager.status()[0]?.state).toBe('fatal');
      expect(manager.shards.get(0)?.fatalError).toBe(error);

      // Started again, the shard gets a new thread and resumes its session.
      const session = manager.status()[0]?.sessionId;
      manager.restart(0);
      await vi.waitFor(allReady(manager, 1), WAIT);
      expect(manager.status()[0]?.sessionId).toBe(session);
    },
  );

  emulatorTest(
    'a fatal close on a thread ends the start call with a FatalGatewayError that keeps its code, and stops the thread',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 2);
      const strategy = workerThreads({ workers: 2 });
      const manager = workerManager(emulatorOfTest, strategy);
      const run = manager.startShards(2);
      await vi.waitFor(allReady(manager, 2), WAIT);
      emu.faults.closeShard(1, 4010);
      const error = await run.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(FatalGatewayError);
      expect(error).toMatchObject({ code: 4010, shardId: 1, meaning: 'invalid shard' });
      // 'stopAll': every shard is shut down, and with them every thread.
      await vi.waitFor(() => expect(manager.status()).toEqual([]), WAIT);
      expect(strategy.threads().map(({ thread }) => thread)).toEqual([undefined, undefined]);
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
