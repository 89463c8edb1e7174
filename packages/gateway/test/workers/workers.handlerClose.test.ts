import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import { capturingLogger } from '../support/harness.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, emulatorFor, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

const CLOSING = new URL('./fixtures/closingHandler.ts', import.meta.url);

describe("a thread handler's close() that fails", () => {
  emulatorTest(
    "reaches the manager's logger as an error naming the thread and the failure; shutdownAll() still resolves",
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const { logger, lines } = capturingLogger();
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({ workers: 1, handler: CLOSING, handlerData: { close: 'reject' } }),
        { logger },
      );
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      await manager.shutdownAll();
      const failures = lines.filter((line) => line.includes('close() failed'));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/^ERROR /);
      expect(failures[0]).toContain(
        "worker thread 0: the dispatch handler's close() failed: the database connection was already closed",
      );
    },
  );

  emulatorTest(
    "ended by the thread itself (process.exit()) before it settled is warned of under the manager's logger; shutdownAll() still resolves",
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const { logger, lines } = capturingLogger();
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({ workers: 1, handler: CLOSING, handlerData: { close: 'exit' } }),
        { logger },
      );
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      await manager.shutdownAll();
      const warnings = lines.filter((line) => line.includes("while its dispatch handler's close() ran"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^WARN worker thread 0 exited \(code 0\)/);
      expect(warnings[0]).toContain('cut off');
    },
  );

  emulatorTest(
    'that logs more lines than a thread may have in flight, in bursts the main thread keeps up with, gets every line printed',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const { logger, lines } = capturingLogger();
      // Tells the handler each 64th line was printed, so its next burst starts only then.
      const printed = new BroadcastChannel(`closing-printed-${process.pid}-${Date.now()}`);
      logger.attachTransport((record) => {
        const line = /^close line (\d+)$/.exec(String(record['0']));
        if (line !== null && Number(line[1]) % 64 === 0) printed.postMessage(Number(line[1]));
      });
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({
          workers: 1,
          handler: CLOSING,
          handlerData: { close: 'chatty', printed: printed.name },
        }),
        { logger },
      );
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      await manager.shutdownAll();
      printed.close();
      // Acknowledged as they arrive, the thread's allowance (256 in flight) frees up between bursts.
      expect(lines.filter((line) => /close line \d+$/.test(line))).toHaveLength(600);
      expect(lines.filter((line) => line.includes('dropped'))).toEqual([]);
    },
  );
});
