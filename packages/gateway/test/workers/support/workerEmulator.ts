import type { Emulator, EmulatorOptions } from '@bot/testing';
import type { EmulatorOfTest } from '../../support/emulatorTest.js';

/**
 * The test's emulator for shards on worker threads, pacing identifies 'instant' unless `options`
 * say otherwise: threads run on the real clock, where the platform's pacing costs 5 s for every
 * identify after the first.
 */
export function workerEmulator(
  emulatorOfTest: EmulatorOfTest,
  options: EmulatorOptions = {},
): Promise<Emulator> {
  return emulatorOfTest.startEmulator({ pacing: 'instant', ...options });
}
