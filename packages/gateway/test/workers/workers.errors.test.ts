import { describe, expect, vi } from 'vitest';
import { isBotError } from '@bot/core';
import { AccessTokenProvider, Token } from '@bot/http';
import { FatalGatewayError, SendQueueFullError, workerThreads } from '@bot/gateway';
import { failure, WAIT } from './support/waits.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';
import { silentLogger } from '../support/harness.js';

describe('errors crossing between worker threads and the main thread', () => {
  emulatorTest(
    'a wrong app secret stops a worker shard for good, as in-process: start() rejects with code 4004 caused by an authentication error',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest);
      const wrong = (): AccessTokenProvider =>
        new AccessTokenProvider(new Token(emu.appId, 'WrongSecret0123456789abcdefghijk'), {
          tokenUrl: emu.tokenUrl,
          logger: silentLogger(),
        });
      const backoff = { baseMs: 10, maxMs: 20 };
      const inProcess = await failure(emulatorOfTest.manager({ tokens: wrong(), backoff }).start());
      const onWorkers = await failure(
        emulatorOfTest.manager({ tokens: wrong(), backoff, strategy: workerThreads({ workers: 1 }) }).start(),
      );
      for (const error of [inProcess, onWorkers]) {
        expect(error).toBeInstanceOf(FatalGatewayError);
        expect(error).toMatchObject({ code: 4004, shardId: 0 });
        const cause = (error as Error).cause;
        expect(isBotError(cause) && cause.kind).toBe('authentication');
      }
    },
    30_000,
  );

  emulatorTest(
    'send() beyond the outbound queue rejects with SendQueueFullError (maxQueued kept) on a worker shard',
    async ({ emulatorOfTest }) => {
      await workerEmulator(emulatorOfTest);
      const strategy = workerThreads({ workers: 1 });
      const bot = emulatorOfTest.manager({ strategy, sendLimit: { limit: 2, reserved: 0, maxQueued: 1 } });
      void bot.start();
      await vi.waitFor(() => expect(bot.status()[0]?.state).toBe('ready'), WAIT);
      const shard = bot.shards.get(0);
      const heartbeat = { op: 1, d: null } as const; // a frame the emulator accepts
      // At most two go out in this window and one waits for the next (a minute away): the others are refused.
      const refused: unknown[] = [];
      for (let i = 0; i < 6; i += 1) shard?.send(heartbeat).catch((error: unknown) => refused.push(error));
      await vi.waitFor(() => expect(refused.length).toBeGreaterThanOrEqual(3), WAIT);
      for (const error of refused) {
        expect(error).toBeInstanceOf(SendQueueFullError);
        expect(error).toMatchObject({ kind: 'gateway', maxQueued: 1, shardId: 0 });
      }
    },
    30_000,
  );
});
