import { describe, expect, vi } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { GatewayError, WorkerRestartsExhaustedError, workerThreads } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';
import { failure, WAIT } from './support/waits.js';

describe('a send waiting on a thread that exits past its restarts', () => {
  emulatorTest(
    'rejects with a GatewayError saying the thread exited before the frame was sent, instead of waiting for ever',
    async ({ emulatorOfTest }) => {
      await workerEmulator(emulatorOfTest);
      const strategy = workerThreads({ workers: 1, maxRestarts: 0 });
      const bot = emulatorOfTest.manager({ strategy, sendLimit: { limit: 1, reserved: 0, maxQueued: 4 } });
      const run = failure(bot.start());
      await vi.waitFor(() => expect(bot.status()[0]?.state).toBe('ready'), WAIT);
      const shard = bot.shards.get(0);
      const heartbeat = { op: 1, d: null } as const; // a frame the emulator accepts
      // At most one frame goes out in this window: the others wait on the thread for the next one, a minute away.
      const outcomes: unknown[] = [];
      for (let i = 0; i < 3; i += 1) {
        shard?.send(heartbeat).then(
          () => outcomes.push('sent'),
          (error: unknown) => outcomes.push(error),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100)); // the frames reach the thread's queue
      void (strategy.threads()[0]?.thread as Worker).terminate();

      await expect(run).resolves.toBeInstanceOf(WorkerRestartsExhaustedError);
      // Every send is told how it went: none waits for ever on a thread that is gone for good.
      await vi.waitFor(() => expect(outcomes).toHaveLength(3), WAIT);
      const unsent = outcomes.filter((outcome) => outcome !== 'sent') as GatewayError[];
      expect(unsent.length).toBeGreaterThanOrEqual(2);
      for (const error of unsent) {
        expect(error).toBeInstanceOf(GatewayError);
        expect(error.message).toContain('exited before the frame was sent');
        expect(error.shardId).toBe(0);
      }
    },
    30_000,
  );
});
