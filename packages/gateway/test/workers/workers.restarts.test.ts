import { describe, expect, vi } from 'vitest';
import { FatalGatewayError, workerThreads, WorkerRestartsExhaustedError } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import {
  allReady,
  collect,
  emulatorFor,
  gatewayFrames,
  publish,
  workerManager,
} from './support/threadedManager.js';
import { failure, WAIT } from './support/waits.js';

describe('shards on worker threads whose thread exits or closes fatally', () => {
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

  emulatorTest.for(['stopAll', 'keepHealthy'] as const)(
    'a thread crashing on every start stops its shards with one WorkerRestartsExhaustedError, emitted once as error (onFatal %s)',
    async (onFatal, { emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 2);
      const handler = new URL('./fixtures/crashingSetup.ts', import.meta.url);
      const strategy = workerThreads({
        workers: 1,
        handler,
        maxRestarts: 1,
        restartBaseMs: 10,
        restartMaxMs: 20,
      });
      const manager = workerManager(emulatorOfTest, strategy, { onFatal });
      const errors: Array<[unknown, number]> = [];
      manager.on('error', (error, shardId) => errors.push([error, shardId]));
      const fatal: number[] = [];
      manager.on('state', (state, _, shardId) => state === 'fatal' && fatal.push(shardId));

      const error = await failure(manager.startShards(2));
      expect(error).toBeInstanceOf(WorkerRestartsExhaustedError);
      expect(error).toMatchObject({
        kind: 'workerRestartsExhausted',
        thread: 0,
        restarts: 1,
        shardIds: [0, 1],
      });
      expect(((error as Error).cause as Error).message).toBe('the thread crashed on purpose');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.[0]).toBe(error);
      expect(errors[0]?.[1]).toBe(0);
      // 'stopAll' shuts shard 1 down once shard 0 failed; 'keepHealthy' leaves it to fail alike.
      expect(fatal).toEqual(onFatal === 'stopAll' ? [0] : [0, 1]);
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
});
