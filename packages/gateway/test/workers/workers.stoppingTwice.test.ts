import { BroadcastChannel, type Worker } from 'node:worker_threads';
import { describe, expect, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import { capturingLogger } from '../support/harness.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { handled, listen } from './support/handlerReports.js';
import { REPORTING } from './support/reportingShard.js';
import { allReady, emulatorFor, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

describe('a thread still stopping when its shard, started again on a new thread, is shut down too', () => {
  emulatorTest(
    "shutdownAll() resolves only once both threads have ended; the first one's close() gets its token and its lines logged meanwhile",
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const { channel, reports } = listen();
      const { logger, lines } = capturingLogger();
      // Each handler's close() waits on this gate: the first thread is still closing when the second stops.
      const closeGate = `stopping-twice-gate-${process.pid}`;
      const strategy = workerThreads({ workers: 1, handler: REPORTING, handlerData: { channel, closeGate } });
      const manager = workerManager(emulatorOfTest, strategy, { logger });
      const closing = () => lines.filter((line) => line.includes('closing its handler'));
      void manager.startShard(0, 1);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const first = strategy.threads()[0]?.thread as Worker;
      let firstEnded = false;
      first.once('exit', () => (firstEnded = true));

      await manager.shutdown(0);
      await vi.waitFor(() => expect(closing()).toHaveLength(1), WAIT);
      void manager.startShard(0, 1);
      await vi.waitFor(allReady(manager, 1), WAIT);
      expect(strategy.threads()[0]?.thread).not.toBe(first);
      const all = manager.shutdownAll();
      await vi.waitFor(() => expect(closing()).toHaveLength(2), WAIT);
      expect(firstEnded).toBe(false);

      const opener = new BroadcastChannel(closeGate);
      opener.postMessage('open');
      opener.close();
      await all;
      expect(firstEnded).toBe(true);
      const [firstId, secondId] = reports.flatMap((report) =>
        report.kind === 'setup' ? [report.threadId] : [],
      );
      await vi.waitFor(
        () =>
          expect(reports.filter((report) => report.kind === 'closed')).toEqual(
            expect.arrayContaining(
              [firstId, secondId].map((threadId) => ({
                kind: 'closed',
                index: 0,
                threadId,
                token: expect.stringMatching(/.+/),
              })),
            ),
          ),
        { timeout: 500, interval: 10 },
      );
      // Logged after the gate, while the thread was stopping: its lines still reach the manager's logger.
      for (const threadId of [firstId, secondId]) {
        expect(lines).toContain(`WARN thread id ${String(threadId)} closed its handler`);
      }
      expect(handled(reports)).toEqual([]);
    },
    30_000,
  );
});
