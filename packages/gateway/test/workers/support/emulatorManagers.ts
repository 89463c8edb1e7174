import { afterEach } from 'vitest';
import type { ShardManager, ShardManagerOptions } from '@bot/gateway';
import type { Emulator, EmulatorOptions } from '@bot/testing';
import { emulatorManager, startEmulator } from '../../support/emulator.js';

/** How long and how often the worker tests poll for a state the threads reach. */
export const WAIT = { timeout: 20_000, interval: 25 };

/** The emulator and managers of one test, which the caller makes through it. */
export interface EmulatorManagers {
  /** Starts the test's emulator (`pacing: 'instant'` unless told otherwise). */
  emulator(options?: EmulatorOptions): Promise<Emulator>;
  /** A manager against `emu` with `overrides`, shut down after the test. */
  manager(emu: Emulator, overrides?: Partial<ShardManagerOptions>): ShardManager;
}

/**
 * Registers an `afterEach` that shuts down every manager made through the returned object and
 * stops its emulator, so a failing test leaves no threads or sockets behind.
 */
export function useEmulatorManagers(): EmulatorManagers {
  let emulator: Emulator | undefined;
  let managers: ShardManager[] = [];
  afterEach(async () => {
    for (const each of managers) await each.shutdownAll();
    await emulator?.stop();
    managers = [];
    emulator = undefined;
  });
  return {
    async emulator(options = {}) {
      emulator = await startEmulator({ pacing: 'instant', ...options });
      return emulator;
    },
    manager(emu, overrides = {}) {
      const each = emulatorManager(emu, overrides);
      managers.push(each);
      return each;
    },
  };
}

/** What `run` rejected with (`undefined` if it resolved). */
export function failure(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
}
