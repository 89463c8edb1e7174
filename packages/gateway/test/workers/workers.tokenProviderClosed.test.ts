import { describe, expect } from 'vitest';
import { isBotError } from '@bot/core';
import { AccessTokenProvider, Token } from '@bot/http';
import { FatalGatewayError, workerThreads } from '@bot/gateway';
import { failure } from './support/waits.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';
import { silentLogger } from '../support/harness.js';

describe('a closed token provider and shards on worker threads', () => {
  emulatorTest(
    "stops the worker shard for good, as in-process: start() rejects with the FatalGatewayError, the provider's error kind kept as cause",
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest);
      const lifetime = new AbortController();
      const tokens = new AccessTokenProvider(new Token(emu.appId, emu.secret), {
        tokenUrl: emu.tokenUrl,
        logger: silentLogger(),
        signal: lifetime.signal,
      });
      // Short waits: a shard that retried instead would reconnect many times before the test times out.
      const manager = emulatorOfTest.manager({
        tokens,
        backoff: { baseMs: 10, maxMs: 20 },
        strategy: workerThreads({ workers: 1 }),
      });
      lifetime.abort();

      const error = await failure(manager.start());

      expect(error).toBeInstanceOf(FatalGatewayError);
      expect(error).toMatchObject({
        kind: 'gateway',
        code: 4000,
        shardId: 0,
        meaning: 'token provider closed',
      });
      const { message, cause } = error as FatalGatewayError;
      expect(message).toContain('shard 0: stopped: the access token provider it shares was closed');
      expect(message).toContain('Shut the shards down');
      expect(isBotError(cause) && cause.kind).toBe('clientDestroyed');
      expect(cause).toMatchObject({ destroyed: 'tokenProvider' });
      expect(emu.recorder.filter((record) => record.kind === 'open')).toHaveLength(1);
    },
    30_000,
  );
});
