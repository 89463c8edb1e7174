import { describe, expect, vi } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import { handled, listen } from './support/handlerReports.js';
import { REPORTING } from './support/reportingShard.js';
import { allReady, emulatorFor, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

describe('a thread still stopping when its shard, started again on a new thread, is shut down too', () => {
  emulatorTest(
    "shutdownAll() resolves only once both threads have ended, the first one's handler closed",
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const { channel, reports } = listen();
      // Each handler's close() takes 3 s: the first thread is still closing when the second stops.
      const strategy = workerThreads({
        workers: 1,
        handler: REPORTING,
        handlerData: { channel, closeMs: 3_000 },
      });
      const manager = workerManager(emulatorOfTest, strategy);
      void manager.startShard(0, 1);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const first = strategy.threads()[0]?.thread as Worker;
      let firstEnded = false;
      first.once('exit', () => (firstEnded = true));

      await manager.shutdown(0);
      void manager.startShard(0, 1);
      await vi.waitFor(allReady(manager, 1), WAIT);
      expect(strategy.threads()[0]?.thread).not.toBe(first);
      expect(firstEnded).toBe(false);
      await manager.shutdownAll();

      expect(firstEnded).toBe(true);
      await vi.waitFor(() => expect(reports.filter((report) => report.kind === 'closed')).toHaveLength(2), {
        timeout: 500,
        interval: 10,
      });
      expect(handled(reports)).toEqual([]);
    },
    30_000,
  );
});
