import { afterEach, vi } from 'vitest';
import type { ShardManager, ShardManagerOptions } from '@bot/gateway';
import type { Emulator, EmulatorOptions } from '@bot/testing';
import { emulatorManager, startEmulator } from '../../support/emulator.js';
import { useFakeClock } from '../../support/harness.js';

/** An emulator and a manager against it, on the fake clock. */
export interface FakeClockShards {
  emulator: Emulator;
  manager: ShardManager;
}

/**
 * For the enclosing block: returns `start`, which puts the test on the fake clock and starts an
 * emulator and a manager against it (not started); after each test both are stopped and the
 * real clock is back.
 */
export function useFakeClockShards(): (
  emulatorOptions: EmulatorOptions,
  managerOptions: Partial<ShardManagerOptions>,
) => Promise<FakeClockShards> {
  let running: FakeClockShards | undefined;
  afterEach(async () => {
    await running?.manager.shutdownAll();
    await running?.emulator.stop();
    running = undefined;
    vi.useRealTimers();
  });
  return async (emulatorOptions, managerOptions) => {
    useFakeClock();
    const emulator = await startEmulator(emulatorOptions);
    running = { emulator, manager: emulatorManager(emulator, managerOptions) };
    return running;
  };
}
