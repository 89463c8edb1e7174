import { Worker } from 'node:worker_threads';
import { describe, expect, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import { handled, listen } from './support/handlerReports.js';
import {
  allReady,
  closeCodes,
  gatewayFrames,
  heartbeatSeqs,
  publish,
  workerManager,
} from './support/threadedManager.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

const fixture = new URL('./fixtures/reportingHandler.ts', import.meta.url);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How late the main thread's answers reach the thread. */
const LATE_MS = 2_000;
/** What the main thread posts a thread that a thread could bound its acknowledgements by. */
const ANSWERS: ReadonlySet<unknown> = new Set(['ack', 'durable']);

/**
 * From when `late()` says so, the main thread's acknowledgements and durable seqs reach a thread
 * {@link LATE_MS} later, as from a main thread slow to take what the thread posts (its answers to
 * calls, such as the resume's token, keep their pace).
 */
function lateAnswers(late: () => boolean): () => void {
  type TransferList = Parameters<Worker['postMessage']>[1];
  const post = Worker.prototype.postMessage;
  const spy = vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (
    this: Worker,
    message: unknown,
    transfer?: TransferList,
  ) {
    const type = (message as { type?: unknown } | null)?.type;
    if (late() && ANSWERS.has(type)) setTimeout(() => post.call(this, message, transfer), LATE_MS);
    else post.call(this, message, transfer);
  });
  return () => spy.mockRestore();
}

// A thread with a handler module acknowledges, and resumes from, what it handled itself: never what
// the main thread last took or answered (7fe5e61 capped it so, and was reverted for this case). Tied to the main thread, its acknowledgements would fall
// behind by what the thread reads while the main thread is slow (a 20 ms collection at 50,000
// events a second is 1,000 events), further than the platform may keep events for replay: a dropped
// connection would then resume from a seq the platform cannot replay from, the shard identify anew
// and the events sent meanwhile be lost. Here its answers are 2 s late and the platform keeps 20.
describe('a handler-module thread whose main thread is slow', () => {
  emulatorTest(
    'its answers 2 s late: the thread acknowledges what it handled, and a dropped connection resumes with no event lost',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, {
        heartbeatInterval: 100,
        strictResume: true,
        resumeBufferSize: 20,
      });
      const { channel, reports } = listen();
      let late = false;
      const restore = lateAnswers(() => late);
      try {
        const manager = workerManager(
          emulatorOfTest,
          workerThreads({ workers: 1, handler: fixture, handlerData: { channel } }),
          // A budget that allows heartbeats every 100 ms.
          { sendLimit: { limit: 1_200, windowMs: 60_000 } },
        );
        void manager.startShards(1).catch(() => undefined);
        await vi.waitFor(allReady(manager, 1), WAIT);
        late = true;
        const first = publish(emu, 50, 1);
        await vi.waitFor(() => expect(handled(reports)).toHaveLength(50), WAIT);
        // Beats go on meanwhile, with nothing yet from the main thread.
        await sleep(500);
        const acknowledged = Math.max(...heartbeatSeqs(emu).map((seq) => seq ?? 0));
        emu.faults.dropSocket(0);
        const after = publish(emu, 3, 1, 50);
        // Resumed and handled, or (were the resume refused) identified anew.
        await vi.waitFor(
          () =>
            expect(
              gatewayFrames(emu, 2) > 1 || after.every((id) => handled(reports).some((r) => r.id === id)),
            ).toBe(true),
          WAIT,
        );

        const seen = new Set(handled(reports).map((report) => report.id));
        const lost = [...first, ...after].filter((id) => !seen.has(id));
        expect({ acknowledged, lost: lost.length }).toEqual({ acknowledged: 51, lost: 0 }); // READY and 50 events
        expect(closeCodes(emu)).not.toContain(4007);
        expect(gatewayFrames(emu, 9)).toBe(0); // no resume refused as too old to replay
        expect(gatewayFrames(emu, 2)).toBe(1); // never identified again
      } finally {
        late = false;
        restore();
      }
    },
    30_000,
  );
});
