import { afterEach, describe, expect, it, vi } from 'vitest';
import { Intents } from '@bot/core';
import { FatalGatewayError, IntentsRefusedError } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { emulatorManager, startEmulator } from './support/emulator.js';
import { advanceUntil, useFakeClock } from './support/harness.js';

// The documented refusal of intents is close 4014 (docs/protocol.md §4); it must say what op 9's
// refusal says: which intents were asked for, and to ask only for granted ones.

const GRANTED = Intents.of('GUILDS', 'PUBLIC_GUILD_MESSAGES');

afterEach(() => {
  vi.useRealTimers();
});

describe('intents refused with close 4014', () => {
  let emulator: Emulator;

  afterEach(async () => {
    await emulator.stop();
  });

  async function refusal(intents: Intents | number): Promise<unknown> {
    useFakeClock();
    emulator = await startEmulator({ grantedIntents: GRANTED.bits });
    const manager = emulatorManager(emulator, { intents });
    const outcome = { reason: undefined as unknown, settled: false };
    manager.start().then(
      () => void (outcome.settled = true),
      (reason: unknown) => void Object.assign(outcome, { reason, settled: true }),
    );
    await advanceUntil(() => outcome.settled, 30_000, 100);
    await manager.shutdownAll();
    return outcome.reason;
  }

  it('rejects start() with an IntentsRefusedError naming the intents of the Intents set, and what to do', async () => {
    const asked = Intents.of('GUILDS', 'GUILD_MESSAGES');
    const error = await refusal(asked);
    expect(error).toBeInstanceOf(IntentsRefusedError);
    expect(error).toBeInstanceOf(FatalGatewayError);
    expect(error).toMatchObject({ code: 4014, shardId: 0, intents: asked.bits, refusal: 'close' });
    const { message } = error as Error;
    expect(message).toContain('closed with code 4014 (intent not permitted)');
    expect(message).toContain(`requested ${asked.bits} (1<<0 GUILDS, 1<<9 GUILD_MESSAGES)`);
    expect(message).toContain('Request only intents the bot is granted');
  });

  it('names the bits by position when the intents were given as a number', async () => {
    const error = await refusal((1 << 0) | (1 << 9));
    expect(error).toBeInstanceOf(IntentsRefusedError);
    expect((error as Error).message).toContain(`requested ${(1 << 0) | (1 << 9)} (1<<0, 1<<9)`);
  });
});
