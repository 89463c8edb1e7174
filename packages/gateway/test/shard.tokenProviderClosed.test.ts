import { describe, expect, onTestFinished } from 'vitest';
import { AccessTokenProvider, ClientDestroyedError, RestClient, Token } from '@bot/http';
import {
  FatalGatewayError,
  gatewayInfoFromRest,
  InMemorySessionStore,
  type ShardManager,
} from '@bot/gateway';
import type { Emulator, EmulatorRecord } from '@bot/testing';
import { advanceUntilAllReady } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceBy, advanceUntil, makeShard, silentLogger, useFakeClock } from './support/harness.js';

/** Fake time a shard that keeps retrying would spend in back-off waits: many of its 60 s maxima. */
const LONG_AFTER_MS = 10 * 60_000;

const connectionsOpened = (emulator: Emulator): number =>
  emulator.recorder.filter((record: EmulatorRecord) => record.kind === 'open').length;

/** Settles `promise` into its rejection reason, read once `settled` is true. */
function settle(promise: Promise<unknown>): { reason: unknown; settled: boolean } {
  const outcome = { reason: undefined as unknown, settled: false };
  promise.then(
    () => (outcome.settled = true),
    (reason: unknown) => Object.assign(outcome, { reason, settled: true }),
  );
  return outcome;
}

/** Each shard id the manager reported `fatal` for, in order. */
function fatalShards(manager: ShardManager): number[] {
  const ids: number[] = [];
  manager.on('state', (state, _previous, id) => state === 'fatal' && ids.push(id));
  return ids;
}

/** A provider of the emulator's tokens that ends with the returned controller. */
function closableProvider(emulator: Emulator): { tokens: AccessTokenProvider; lifetime: AbortController } {
  const lifetime = new AbortController();
  const tokens = new AccessTokenProvider(new Token(emulator.appId, emulator.secret), {
    tokenUrl: emulator.tokenUrl,
    logger: silentLogger(),
    signal: lifetime.signal,
  });
  return { tokens, lifetime };
}

/** The stop a user meets: typed, saying what happened and what to do, the provider's error as cause. */
function expectProviderClosedStop(reason: unknown): void {
  expect(reason).toBeInstanceOf(FatalGatewayError);
  expect(reason).toMatchObject({ kind: 'gateway', shardId: 0, code: 4000, meaning: 'token provider closed' });
  const { message, cause } = reason as FatalGatewayError;
  expect(message).toContain('shard 0: stopped: the access token provider it shares was closed');
  expect(message).toContain('Shut the shards down');
  expect(message).toContain('start them again with a new provider or RestClient');
  expect(cause).toBeInstanceOf(ClientDestroyedError);
  expect(cause).toMatchObject({ kind: 'clientDestroyed', destroyed: 'tokenProvider' });
}

/** Shard 0 stopped for good with the typed stop: reported fatal, and no connection opened after. */
async function expectStoppedForGood(emulator: Emulator, reason: unknown, fatal: number[]): Promise<void> {
  expectProviderClosedStop(reason);
  expect(fatal).toEqual([0]);
  const opened = connectionsOpened(emulator);
  await advanceBy(LONG_AFTER_MS, 5_000);
  expect(connectionsOpened(emulator)).toBe(opened);
}

describe('a shard whose token provider was closed stops instead of retrying its setup', () => {
  emulatorTest(
    'at its first start: start() rejects with the typed stop, nothing reconnects, and the stored session is kept',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const emulator = await emulatorOfTest.startEmulator();
      const { tokens, lifetime } = closableProvider(emulator);
      const sessionStore = new InMemorySessionStore();
      const stored = { sessionId: 'session-to-resume-later', seq: 7, shardCount: 1 };
      await sessionStore.set(0, stored);
      const manager = emulatorOfTest.manager({ tokens, sessionStore });
      const fatal = fatalShards(manager);
      lifetime.abort();

      const outcome = settle(manager.start());
      await advanceUntil(() => outcome.settled, LONG_AFTER_MS, 100);

      await expectStoppedForGood(emulator, outcome.reason, fatal);
      expect(await sessionStore.get(0)).toEqual(stored);
    },
  );

  emulatorTest(
    'at a reconnect that needs a fresh token (the platform refused the cached one): the same stop, and no retry after it',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const emulator = await emulatorOfTest.startEmulator();
      const { tokens, lifetime } = closableProvider(emulator);
      const manager = emulatorOfTest.manager({ tokens });
      const fatal = fatalShards(manager);
      const outcome = settle(manager.start());
      await advanceUntilAllReady(manager, 1);

      lifetime.abort();
      emulator.faults.expireTokens(); // the resume with the cached token is closed with 4004
      emulator.faults.dropSocket(0);
      await advanceUntil(() => outcome.settled, LONG_AFTER_MS, 100);

      await expectStoppedForGood(emulator, outcome.reason, fatal);
    },
  );

  emulatorTest(
    "sharing a destroyed RestClient's tokens: Shard.start() rejects with the same stop",
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const emulator = await emulatorOfTest.startEmulator();
      const rest = new RestClient({
        token: new Token(emulator.appId, emulator.secret),
        baseUrl: emulator.restUrl,
        tokenUrl: emulator.tokenUrl,
        logger: silentLogger(),
      });
      const { shard } = makeShard(emulator.gatewayUrl, { tokens: rest.tokens });
      onTestFinished(async () => {
        await shard.close();
      });
      rest.destroy();

      const outcome = settle(shard.start());
      await advanceUntil(() => outcome.settled, LONG_AFTER_MS, 100);

      expectProviderClosedStop(outcome.reason);
      expect((outcome.reason as Error).message).toContain('the RestClient that made it was destroyed');
      expect(shard.state).toBe('fatal');
    },
  );

  emulatorTest(
    "a manager asking a destroyed RestClient for /gateway/bot: start() rejects with the client's ClientDestroyedError, connecting nothing",
    async ({ emulatorOfTest }) => {
      const emulator = await emulatorOfTest.startEmulator();
      const rest = new RestClient({
        token: new Token(emulator.appId, emulator.secret),
        baseUrl: emulator.restUrl,
        tokenUrl: emulator.tokenUrl,
        logger: silentLogger(),
      });
      const manager = emulatorOfTest.manager({ tokens: rest.tokens, gateway: gatewayInfoFromRest(rest) });
      rest.destroy();

      const reason = await manager.start().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(reason).toBeInstanceOf(ClientDestroyedError);
      expect(reason).toMatchObject({ destroyed: 'restClient', route: '/gateway/bot' });
      expect((reason as Error).message).toContain('use a new RestClient');
      expect(connectionsOpened(emulator)).toBe(0);
    },
  );
});
