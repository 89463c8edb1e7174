import { describe, expect, vi } from 'vitest';
import { InMemorySessionStore, workerThreads } from '@bot/gateway';
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

/** The seq of each Resume the emulator received from record `from` on. */
const resumeSeqs = (emu: Parameters<typeof gatewayFrames>[0], from: number): unknown[] =>
  emu.recorder
    .filter((record) => record.kind === 'gateway' && record.op === 6 && record.index >= from)
    .map((record) => (record.kind === 'gateway' ? (record.d as { seq?: unknown }).seq : undefined));

// A thread without a handler module acknowledges no further than the main thread took its
// dispatches, as the main thread writes it to memory they share. A session another manager stored
// (a process replaced) is taken as far as stored: the new thread resumes from there, not from 0,
// which a platform strict about resumes would refuse behind the old thread's acknowledgements.
describe('worker shards of a new manager resuming the sessions an earlier one handed off', () => {
  emulatorTest(
    'resume from the stored seq, acknowledged before: no resume refused, no event lost',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, { heartbeatInterval: 100, strictResume: true });
      const sessionStore = new InMemorySessionStore();
      const options = { sessionStore, sendLimit: { limit: 1_200, windowMs: 60_000 } };
      const first = workerManager(emulatorOfTest, workerThreads({ workers: 1 }), options);
      const takenFirst = collect(first);
      void first.startShards(1).catch(() => undefined);
      await vi.waitFor(allReady(first, 1), WAIT);
      const before = publish(emu, 10, 1);
      await vi.waitFor(() => expect(takenFirst).toEqual(before), WAIT);
      // The 10 events, taken on the main thread: the beats acknowledge them.
      const last = seqOf(emu, before.at(-1)!);
      await vi.waitFor(
        () => expect(Math.max(...heartbeatSeqs(emu).map((seq) => seq ?? 0))).toBeGreaterThanOrEqual(last),
        WAIT,
      );
      const stored = (await first.handoff()).get(0)?.seq;
      const handedOffAt = emu.recorder.mark();
      expect(stored).toBeGreaterThanOrEqual(last);

      const during = publish(emu, 3, 1, 10);
      const second = workerManager(emulatorOfTest, workerThreads({ workers: 1 }), options);
      const takenSecond = collect(second);
      void second.startShards(1).catch(() => undefined);
      await vi.waitFor(allReady(second, 1), WAIT);
      const after = publish(emu, 3, 1, 13);
      await vi.waitFor(() => expect(takenSecond).toEqual([...during, ...after]), WAIT);

      expect(resumeSeqs(emu, handedOffAt)).toEqual([stored]);
      expect(closeCodes(emu)).not.toContain(4007);
      expect(gatewayFrames(emu, 2)).toBe(1); // never identified again
    },
    30_000,
  );
});
