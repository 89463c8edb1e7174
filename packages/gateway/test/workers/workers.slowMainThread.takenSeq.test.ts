import { Worker } from 'node:worker_threads';
import { describe, expect, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import {
  allReady,
  closeCodes,
  collect,
  gatewayFrames,
  heartbeatSeqs,
  publish,
  seqOf,
  workerManager,
} from './support/threadedManager.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * From when `late()` says so, this thread takes what a worker thread posts `ms` later (a long
 * collection, a listener's synchronous work), in order. The emulator, on this thread too, goes on.
 */
function takeThreadMessagesLate(ms: number, late: () => boolean): () => void {
  const emit = Worker.prototype.emit;
  const spy = vi.spyOn(Worker.prototype, 'emit').mockImplementation(function (
    this: Worker,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event !== 'message' || !late()) return emit.call(this, event, ...args);
    setTimeout(() => emit.call(this, event, ...args), ms);
    return true;
  });
  return () => spy.mockRestore();
}

// A thread without a handler module acknowledges no further than the main thread took its
// dispatches. While the main thread is slow its beats stay behind what the thread read; a
// connection dropped then must still resume without asking the platform for events it no longer
// keeps: the Resume waits for the main thread's token answer, which comes after it took what the
// thread posted before. Here the main thread takes 2 s late and the platform keeps 20 events.
describe('a thread whose dispatches the main thread takes late', () => {
  emulatorTest(
    'a dropped connection resumes with no event lost',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, {
        heartbeatInterval: 100,
        strictResume: true,
        resumeBufferSize: 20,
      });
      let late = false;
      const restore = takeThreadMessagesLate(2_000, () => late);
      try {
        const manager = workerManager(
          emulatorOfTest,
          workerThreads({ workers: 1 }),
          // A budget that allows heartbeats every 100 ms.
          { sendLimit: { limit: 1_200, windowMs: 60_000 } },
        );
        const taken = collect(manager);
        void manager.startShards(1).catch(() => undefined);
        await vi.waitFor(allReady(manager, 1), WAIT);
        late = true;
        const first = publish(emu, 50, 1);
        await sleep(500);
        // Behind: none of the 50 was taken yet.
        expect(Math.max(...heartbeatSeqs(emu).map((seq) => seq ?? 0))).toBeLessThan(seqOf(emu, first[0]!));
        emu.faults.dropSocket(0);
        const after = publish(emu, 3, 1, 50);
        await vi.waitFor(
          () => expect(gatewayFrames(emu, 2) > 1 || after.every((id) => taken.includes(id))).toBe(true),
          WAIT,
        );

        const lost = [...first, ...after].filter((id) => !taken.includes(id));
        expect(lost).toEqual([]);
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
