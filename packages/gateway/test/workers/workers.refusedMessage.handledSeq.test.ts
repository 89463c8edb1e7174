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

const fixture = new URL('./fixtures/refusingHandler.ts', import.meta.url);

/** Blocks this thread for `ms`, as a handler's synchronous work or a long collection would. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // nothing from the threads is taken meanwhile
  }
}

// A thread with a handler module handles its events and acknowledges them in its heartbeats on
// its own. Stopped for a message the main thread refuses, what it posted after that (its reports of
// what it handled) is dropped on purpose; the session stored for the next thread must still be at
// or past what its heartbeats acknowledged, or a platform strict about resumes refuses the resume
// (4007), the shard identifies anew and the events sent meanwhile are lost.
describe('a handler-module thread stopped for a refused message, against a platform strict about resumes', () => {
  emulatorTest(
    'the next thread resumes the session: no resume refused, no event lost',
    async ({ emulatorOfTest }) => {
      // The emulator runs on this thread, which the test blocks: it does not judge the beats' timing.
      const emu = await workerEmulator(emulatorOfTest, {
        heartbeatInterval: 100,
        heartbeatTimeout: 0,
        strictResume: true,
      });
      const { channel, reports } = listen();
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({
          workers: 1,
          handler: fixture,
          handlerData: { channel, refuseOnce: new SharedArrayBuffer(4) },
          // Long enough for events to be sent while no thread reads the session.
          restartBaseMs: 1_000,
          restartMaxMs: 1_000,
        }),
        // A budget that allows heartbeats every 100 ms.
        { sendLimit: { limit: 1_200, windowMs: 60_000 } },
      );
      void manager.startShards(1).catch(() => undefined);
      await vi.waitFor(allReady(manager, 1), WAIT);

      const before = [emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'refuse' }).id];
      before.push(...publish(emu, 5, 1));
      // The thread handles these and beats while this thread is busy; their reports queue behind the
      // refused message, which stops the thread once this thread reads it.
      busyFor(800);
      await vi.waitFor(() => expect(closeCodes(emu).length).toBeGreaterThanOrEqual(1), WAIT);
      // The heartbeats acknowledged past what the main thread took: the refused message, at least.
      expect(Math.max(...heartbeatSeqs(emu).map((seq) => seq ?? 0))).toBeGreaterThan(2);
      // Sent while no thread reads: only a resumed session gets them.
      const during = publish(emu, 5, 1, 5);
      await vi.waitFor(() => expect(gatewayFrames(emu, 6)).toBeGreaterThanOrEqual(1), WAIT);
      await vi.waitFor(allReady(manager, 1), WAIT);
      const after = publish(emu, 5, 1, 10);
      const all = [...before, ...during, ...after];
      await vi.waitFor(
        () => expect(handled(reports).filter((r) => after.includes(r.id))).toHaveLength(5),
        WAIT,
      );

      const seen = new Set(handled(reports).map((report) => report.id));
      const lost = all.filter((id) => !seen.has(id));
      expect(closeCodes(emu)).not.toContain(4007); // the resume was not refused
      expect(gatewayFrames(emu, 2)).toBe(1); // never identified again
      expect(lost).toEqual([]);
    },
    40_000,
  );
});
