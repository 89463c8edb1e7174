import { Logger, type ILogObj } from 'tslog';
import { AccessTokenProvider, Token } from '@bot/http';
import { ShardManager, type GatewayInfoSource, type ShardManagerOptions } from '@bot/gateway';
import { Emulator, type EmulatorOptions } from '@bot/testing';
import { vi } from 'vitest';
import { advanceUntil, silentLogger, useFakeClock } from './harness.js';

/** Every intent the emulator knows about. */
export const ALL_INTENT_BITS = (1 << 0) | (1 << 1) | (1 << 12) | (1 << 25) | (1 << 26) | (1 << 30);

/** An emulator with quiet logging, every intent granted and the platform's identify pacing. */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return Emulator.start({
    grantedIntents: 'all',
    pacing: 'platform',
    logger: new Logger<ILogObj>({ type: 'hidden' }),
    ...options,
  });
}

/**
 * `/gateway/bot` answered in-process from the emulator's own state, so tests running on fake
 * timers need no HTTP client (the REST path is covered by its own test).
 */
export function emulatorGatewayInfo(emulator: Emulator): GatewayInfoSource {
  return {
    gatewayBot: () =>
      Promise.resolve({
        url: emulator.gatewayUrl,
        shards: emulator.sessionStartLimit().max_concurrency,
        session_start_limit: emulator.sessionStartLimit(),
      }),
  };
}

/**
 * Identify window for managers facing the emulator. The emulator measures its 5 s window at
 * arrival; on a fake clock that moves in steps while frames are in flight, an arrival can lag its
 * grant by a step, so the client keeps a small margin the real network would need too.
 */
export const CLIENT_IDENTIFY_WINDOW_MS = 5_500;

/** A shard manager wired to the emulator: real token endpoint, in-process `/gateway/bot`. */
export function emulatorManager(
  emulator: Emulator,
  overrides: Partial<ShardManagerOptions> = {},
): ShardManager {
  const logger = silentLogger();
  const manager = new ShardManager({
    intents: ALL_INTENT_BITS,
    tokens: new AccessTokenProvider(new Token(emulator.appId, emulator.secret), {
      tokenUrl: emulator.tokenUrl,
      logger,
    }),
    gateway: emulatorGatewayInfo(emulator),
    identifyWindowMs: CLIENT_IDENTIFY_WINDOW_MS,
    logger,
    ...overrides,
  });
  manager.on('error', () => undefined);
  return manager;
}

/** A guild id whose events the platform routes to `shardId` of `shardCount`: `(guild_id >> 22) % count`. */
export function guildOnShard(shardId: number, shardCount: number, salt = 1): string {
  return ((BigInt(salt * shardCount + shardId) << 22n) | 12345n).toString();
}

/** Publishes `count` guild messages on the platform for shard `shardId` of `shards`; their event ids. */
export function messagesOnShard(emulator: Emulator, count: number, shardId = 0, shards = 1): string[] {
  return Array.from(
    { length: count },
    (_, n) =>
      emulator.simulate.dispatch(
        'AT_MESSAGE_CREATE',
        { content: `#${n}` },
        { guildId: guildOnShard(shardId, shards, n) },
      ).id,
  );
}

/**
 * On the fake clock, an emulator pacing identifies by a window of `identifyWindow` ms (the
 * platform's 5,000 by default), one bucket, 100 session starts: the identify-pacing tests' platform.
 * Started by `ofTest` (the test's `EmulatorOfTest`), whose fixture stops it after the test.
 */
export function pacedEmulatorOnFakeClock(
  ofTest: { startEmulator(options: EmulatorOptions): Promise<Emulator> },
  identifyWindow = 5_000,
): Promise<Emulator> {
  useFakeClock();
  return ofTest.startEmulator({ identifyWindow, sessionStartLimit: { total: 100, maxConcurrency: 1 } });
}

/** Advances the fake clock until `manager` runs `count` shards, every one ready (at most 60 s of fake time). */
export function advanceUntilAllReady(manager: ShardManager, count: number): Promise<void> {
  return advanceUntil(
    () => manager.status().length === count && manager.status().every((status) => status.state === 'ready'),
    60_000,
    100,
  );
}

/** Shuts every shard of `manager` down, then waits for the `start*` call `run` to end. */
export async function shutdownAndSettle(manager: ShardManager, run: Promise<void>): Promise<void> {
  await manager.shutdownAll();
  await run;
}

/**
 * The end of a test that ran `managers` against `emulator`, behind `emulatorTest`'s fixture: shuts
 * every manager down in turn, stops the emulator and gives back the real clock, each even when one
 * before failed. Every failure is still reported: one as itself, several as an `AggregateError`.
 * Ending the same ones a second time does nothing.
 */
export async function stopManagersAndEmulator(
  managers: readonly ShardManager[],
  emulator: Emulator | undefined,
): Promise<void> {
  const failures: unknown[] = [];
  for (const manager of managers) await manager.shutdownAll().catch((error: unknown) => failures.push(error));
  try {
    await emulator?.stop();
  } catch (error) {
    failures.push(error);
  } finally {
    vi.useRealTimers();
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const messages = failures.map((failure) =>
      failure instanceof Error ? failure.message : String(failure),
    );
    throw new AggregateError(failures, `${failures.length} failures ending the test: ${messages.join('; ')}`);
  }
}
