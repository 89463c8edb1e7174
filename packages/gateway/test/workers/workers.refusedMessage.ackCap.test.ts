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
import { refusingWorkerScript, takeThreadMessagesLate, useRefusalMarker } from './support/refusingWorker.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

// Shards on a worker thread, their dispatches taken by the manager's listeners on the main thread,
// a session store that cannot tell what it holds durably (the default). A thread stopped for a
// message the main thread refuses has the dispatches it posted after that dropped on purpose, so
// its shards' sessions are stored at the last dispatch taken here; its heartbeats must not have
// acknowledged further, or a platform strict about resumes refuses the next thread's resume
// (4007), the shard identifies anew and the events sent meanwhile are lost.
describe('a thread stopped for a refused message, dispatches taken on the main thread, the default store', () => {
  useRefusalMarker();

  emulatorTest(
    'the next thread resumes the session: no resume refused, no event lost',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, { heartbeatInterval: 100, strictResume: true });
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({
          workers: 1,
          workerScript: refusingWorkerScript,
          restartBaseMs: 1_000,
          restartMaxMs: 1_000,
        }),
        // A budget that allows heartbeats every 100 ms.
        { sendLimit: { limit: 1_200, windowMs: 60_000 } },
      );
      const taken = collect(manager);
      void manager.startShards(1).catch(() => undefined);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const warmUp = publish(emu, 1, 1);
      await vi.waitFor(() => expect(taken).toEqual(warmUp), WAIT);

      const before = [emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'refuse' }).id];
      before.push(...publish(emu, 5, 1, 1));
      // The thread reads these and beats while this thread takes nothing; the batch with the first
      // comes after the refused message, which stops the thread once this thread takes it.
      await takeThreadMessagesLate(800);
      await vi.waitFor(() => expect(closeCodes(emu).length).toBeGreaterThanOrEqual(1), WAIT);
      const acknowledged = Math.max(...heartbeatSeqs(emu).map((seq) => seq ?? 0));
      // Sent while no thread reads: only a resumed session gets them.
      const during = publish(emu, 5, 1, 6);
      await vi.waitFor(() => expect(gatewayFrames(emu, 6) + gatewayFrames(emu, 2)).toBeGreaterThan(1), WAIT);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const after = publish(emu, 5, 1, 11);
      await vi.waitFor(() => expect(taken).toEqual(expect.arrayContaining(after)), WAIT);

      const lost = [...warmUp, ...before, ...during, ...after].filter((id) => !taken.includes(id));
      expect(closeCodes(emu)).not.toContain(4007); // the resume was not refused
      expect(gatewayFrames(emu, 2)).toBe(1); // never identified again
      expect(lost).toEqual([]);
      // Nothing past the last dispatch taken here (the warm-up) was acknowledged.
      expect(acknowledged).toBeLessThanOrEqual(seqOf(emu, warmUp[0]!));
    },
    40_000,
  );
});
