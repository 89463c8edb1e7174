import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Intents } from '@bot/core';
import { FatalGatewayError, IntentsRefusedError } from '@bot/gateway';
import type { Emulator, EmulatorRecord, GatewayFrameRecord } from '@bot/testing';
import { FakeGateway } from './support/FakeGateway.js';
import { ALL_INTENT_BITS, emulatorManager, startEmulator } from './support/emulator.js';
import { advanceBy, advanceUntil, makeShard, useFakeClock } from './support/harness.js';

const NAMES: Readonly<Record<number, string>> = {
  [1 << 0]: 'GUILDS',
  [1 << 25]: 'GROUP_AND_C2C_EVENT',
  [1 << 30]: 'PUBLIC_GUILD_MESSAGES',
};

/** Settles a promise into its rejection reason, or fails when it resolves. */
function rejectionOf(promise: Promise<unknown>): { reason: unknown; settled: boolean } {
  const outcome = { reason: undefined as unknown, settled: false };
  promise.then(
    () => {
      outcome.settled = true;
    },
    (reason: unknown) => {
      outcome.reason = reason;
      outcome.settled = true;
    },
  );
  return outcome;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('Identify refused with op 9', () => {
  let gateway: FakeGateway;

  beforeEach(async () => {
    useFakeClock();
    gateway = await FakeGateway.start({ refuseIdentify: true });
  });

  afterEach(async () => {
    await gateway.close();
  });

  it('retries once after 1–5 s, then start() rejects with an IntentsRefusedError naming the intents', async () => {
    const intents = (1 << 0) | (1 << 25) | (1 << 30);
    const { shard } = makeShard(gateway.url, { intents, intentName: (bit) => NAMES[bit] });
    const outcome = rejectionOf(shard.start());
    await advanceUntil(() => outcome.settled, 30_000, 100);

    expect(outcome.reason).toBeInstanceOf(IntentsRefusedError);
    expect(outcome.reason).toBeInstanceOf(FatalGatewayError);
    expect(outcome.reason).toMatchObject({ code: 4014, shardId: 0, intents });
    const { message } = outcome.reason as Error;
    expect(message).toContain('identify refused with op 9 2 times in a row');
    expect(message).toContain(
      `requested ${intents} (1<<0 GUILDS, 1<<25 GROUP_AND_C2C_EVENT, 1<<30 PUBLIC_GUILD_MESSAGES)`,
    );
    const identifies = gateway.received(2);
    expect(identifies).toHaveLength(2);
    const gap = (identifies[1]?.at ?? 0) - (identifies[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1_000);
    expect(shard.state).toBe('fatal');

    await advanceBy(10 * 60_000, 5_000);
    expect(gateway.received(2)).toHaveLength(2);
    expect(gateway.connections).toHaveLength(2);
  });

  it('names the bits by position when no names are given', async () => {
    const { shard } = makeShard(gateway.url, { intents: 1 << 30 });
    const outcome = rejectionOf(shard.start());
    await advanceUntil(() => outcome.settled, 30_000, 100);
    expect((outcome.reason as Error).message).toContain(`requested ${1 << 30} (1<<30)`);
  });

  it('identifies with the bits of an Intents set and names them when refused, with no intentName given', async () => {
    const intents = Intents.of('GUILDS', 'GROUP_AND_C2C_EVENT');
    const { shard } = makeShard(gateway.url, { intents });
    const outcome = rejectionOf(shard.start());
    await advanceUntil(() => outcome.settled, 30_000, 100);

    expect(gateway.received(2)[0]?.d).toMatchObject({ intents: intents.bits });
    expect(outcome.reason).toMatchObject({ intents: intents.bits });
    expect((outcome.reason as Error).message).toContain(
      `requested ${intents.bits} (1<<0 GUILDS, 1<<25 GROUP_AND_C2C_EVENT)`,
    );
  });

  it('counts refusals since the last READY only: one refusal before and one after a session is no reason to stop', async () => {
    const { shard } = makeShard(gateway.url);
    void shard.start();
    await advanceUntil(() => gateway.received(2).length === 1, 5_000, 100);
    gateway.options.refuseIdentify = false; // the retry is accepted
    await advanceUntil(() => shard.state === 'ready', 10_000, 100);
    gateway.options.refuseIdentify = true;
    gateway.last.close(4006); // the session is gone: identify again, and get refused once more
    await advanceUntil(() => gateway.received(2).length === 3, 10_000, 100);
    gateway.options.refuseIdentify = false;
    await advanceUntil(() => gateway.received(2).length === 4 && shard.state === 'ready', 10_000, 100);
    expect(shard.fatalError).toBeUndefined();
    await shard.close();
  });
});

describe('Identify refused with op 9 by the emulator', () => {
  let emulator: Emulator;
  const isIdentify = (record: EmulatorRecord): record is GatewayFrameRecord =>
    record.kind === 'gateway' && record.op === 2;

  afterEach(async () => {
    await emulator.stop();
  });

  it('spends two session starts at most, and the manager start() rejects with the typed error', async () => {
    useFakeClock();
    emulator = await startEmulator({ grantedIntents: (1 << 0) | (1 << 1) | (1 << 30) });
    emulator.faults.refuseDisallowedIntentsWith('invalidSession');
    const before = emulator.sessionStartLimit().remaining;
    const manager = emulatorManager(emulator, { intents: ALL_INTENT_BITS });
    const outcome = rejectionOf(manager.start());
    await advanceUntil(() => outcome.settled, 30_000, 100);

    expect(outcome.reason).toBeInstanceOf(IntentsRefusedError);
    expect((outcome.reason as Error).message).toContain(`requested ${ALL_INTENT_BITS} (`);
    await advanceBy(10 * 60_000, 5_000);
    expect(emulator.recorder.filter(isIdentify)).toHaveLength(2);
    expect(before - emulator.sessionStartLimit().remaining).toBe(2);
    await manager.shutdownAll();
  });
});
