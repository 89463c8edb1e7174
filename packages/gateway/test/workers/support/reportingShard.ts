import { vi } from 'vitest';
import { workerThreads, type ShardManagerOptions, type WorkerThreadsOptions } from '@bot/gateway';
import type { EmulatorOptions } from '@bot/testing';
import type { EmulatorOfTest } from '../../support/emulatorTest.js';
import { listen } from './handlerReports.js';
import { allReady, emulatorFor, workerManager } from './threadedManager.js';
import { WAIT } from './waits.js';

/** The reporting handler module (fixtures/reportingHandler.ts). */
export const REPORTING = new URL('../fixtures/reportingHandler.ts', import.meta.url);

/** How {@link startReporting} starts its shard. */
export interface ReportingSetup {
  /** More `handlerData` beside the channel. */
  data?: Record<string, unknown>;
  /** More options of the strategy. */
  options?: Partial<WorkerThreadsOptions>;
  /** Options of the manager. */
  manager?: Partial<ShardManagerOptions>;
  /** Options of the emulator. */
  emulator?: EmulatorOptions;
}

/** One shard on a thread running the reporting handler, ready; what the handler tells is in `reports`. */
export async function startReporting(emulatorOfTest: EmulatorOfTest, setup: ReportingSetup = {}) {
  const emu = await emulatorFor(emulatorOfTest, 1, setup.emulator);
  const { channel, reports } = listen();
  const handlerData = { channel, ...setup.data };
  const manager = workerManager(
    emulatorOfTest,
    workerThreads({ workers: 1, handler: REPORTING, handlerData, ...setup.options }),
    setup.manager,
  );
  void manager.start();
  await vi.waitFor(allReady(manager, 1), WAIT);
  return { emu, manager, reports };
}
