import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, vi } from 'vitest';
import { workerThreads, type WorkerThreadsOptions } from '@bot/gateway';
import type { Emulator, EmulatorOptions } from '@bot/testing';
import { emulatorTest, type EmulatorOfTest } from '../support/emulatorTest.js';
import { handled, listen } from './support/handlerReports.js';
import {
  allReady,
  closeCodes,
  emulatorFor,
  gatewayFrames,
  heartbeatSeqs,
  publish,
  workerManager,
} from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

const REPORTING = new URL('./fixtures/reportingHandler.ts', import.meta.url);
/**
 * Heartbeats every 250 ms, so that several pass while a thread holds. A shard beats no faster
 * than its send budget sustains (two slots per beat), so the budget is raised to match.
 */
const HEARTBEAT_MS = 250;
const SEND_LIMIT = { limit: 60, windowMs: (HEARTBEAT_MS / 2) * 60 };
/** A wait for a few heartbeats, well within a test's time: beats that stopped fail it, naming the count. */
const BEATS_WAIT = { ...WAIT, timeout: 40 * HEARTBEAT_MS };

/** Everything the emulator recorded, oldest first. */
const recorded = (emu: Emulator) => emu.recorder.filter(() => true);

/** The sequence numbers of the `event` dispatches the emulator sent, in order. */
const sentSeqs = (emu: Emulator, event = 'AT_MESSAGE_CREATE'): number[] =>
  recorded(emu).flatMap((record) =>
    record.kind === 'sent' && record.payload.t === event ? [record.payload.s ?? 0] : [],
  );

/**
 * One shard, ready, on a thread running the reporting handler whose handlings finish only once
 * `openGate()` is called; heartbeats every {@link HEARTBEAT_MS}.
 */
async function startGated(
  emulatorOfTest: EmulatorOfTest,
  emulator: EmulatorOptions,
  options: Partial<WorkerThreadsOptions>,
) {
  // The emulator's deadline for a heartbeat is lenient: a loaded machine may be late.
  const emu = await emulatorFor(emulatorOfTest, 1, {
    heartbeatInterval: HEARTBEAT_MS,
    heartbeatTimeout: 20 * HEARTBEAT_MS,
    ...emulator,
  });
  const { channel, reports } = listen();
  const gate = `${channel}-gate`;
  const strategy = workerThreads({
    workers: 1,
    handler: REPORTING,
    handlerData: { channel, gate },
    ...options,
  });
  const manager = workerManager(emulatorOfTest, strategy, { sendLimit: SEND_LIMIT });
  void manager.start();
  await vi.waitFor(allReady(manager, 1), WAIT);
  const openGate = (): void => {
    const opener = new BroadcastChannel(gate);
    opener.postMessage('open');
    opener.close();
  };
  const finished = (): string[] =>
    reports.flatMap((report) => (report.kind === 'finished' ? [report.id] : []));
  return { emu, strategy, manager, reports, openGate, finished };
}

/** Waits until the emulator has received `count` more heartbeats. */
async function heartbeatsPass(emu: Emulator, count: number): Promise<void> {
  const before = heartbeatSeqs(emu).length;
  await vi.waitFor(
    () => expect(heartbeatSeqs(emu).length).toBeGreaterThanOrEqual(before + count),
    BEATS_WAIT,
  );
}

describe('workerThreads({ handler, maxUnacked }) against the emulator', () => {
  emulatorTest(
    'a thread holding maxUnacked handlings stops reading while heartbeats go on, and reads again once they finish: every event handled once, the session kept',
    async ({ emulatorOfTest }) => {
      const [maxUnacked, events] = [4, 10];
      const { emu, manager, reports, openGate, finished } = await startGated(
        emulatorOfTest,
        {},
        { maxUnacked },
      );
      const session = manager.status()[0]?.sessionId;

      const ids = publish(emu, events, 1);
      // The thread hands maxUnacked events to the handler, whose handlings hold, and stops reading.
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(maxUnacked), WAIT);
      await vi.waitFor(() => expect(sentSeqs(emu)).toHaveLength(events), WAIT);
      await heartbeatsPass(emu, 3);
      // Three heartbeats later: nothing more handed, the connection stayed up, and the heartbeats
      // acknowledge no event whose handling is still running (READY is the last one handled).
      expect(handled(reports).map((report) => report.id)).toEqual(ids.slice(0, maxUnacked));
      expect(closeCodes(emu)).toEqual([]);
      expect(heartbeatSeqs(emu).at(-1)).toBe(sentSeqs(emu, 'READY')[0]);

      // The handlings finish: reading resumes and every event is handled, once, in order.
      openGate();
      await vi.waitFor(() => expect(finished()).toHaveLength(events), WAIT);
      expect(handled(reports).map((report) => report.id)).toEqual(ids);
      // Heartbeats acknowledge the last event; one connection, one identify, no resume, no close.
      const seqs = sentSeqs(emu);
      await vi.waitFor(() => expect(heartbeatSeqs(emu).at(-1)).toBe(seqs.at(-1)), WAIT);
      expect(closeCodes(emu)).toEqual([]);
      expect(recorded(emu).filter((record) => record.kind === 'open')).toHaveLength(1);
      expect([gatewayFrames(emu, 2), gatewayFrames(emu, 6)]).toEqual([1, 0]);
      // The main thread's resume point is the last event, handled.
      await vi.waitFor(() => expect(manager.status()[0]?.seq).toBe(seqs.at(-1)), WAIT);
      expect(manager.status()[0]).toMatchObject({ state: 'ready', sessionId: session });
    },
  );

  emulatorTest(
    'a thread that crashes with handlings running resumes its shard even where the platform refuses a resume from behind what heartbeats acknowledged, and they are handed again',
    async ({ emulatorOfTest }) => {
      const { emu, strategy, manager, reports, openGate, finished } = await startGated(
        emulatorOfTest,
        { strictResume: true },
        { restartBaseMs: 50 },
      );
      const session = manager.status()[0]?.sessionId;
      const ids = publish(emu, 3, 1);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(3), WAIT);
      await heartbeatsPass(emu, 2);

      await strategy.threads()[0]?.thread?.terminate();
      // The new thread's shard resumes the session; the handlings the crash cut off are handed again.
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(6), { ...WAIT, timeout: 10_000 });
      expect(handled(reports).map((report) => report.id)).toEqual([...ids, ...ids]);
      openGate();
      await vi.waitFor(() => expect(finished()).toEqual(ids), WAIT);
      expect(closeCodes(emu)).not.toContain(4007);
      expect([gatewayFrames(emu, 2), gatewayFrames(emu, 6)]).toEqual([1, 1]);
      expect(manager.status()[0]).toMatchObject({ state: 'ready', sessionId: session });
    },
  );
});
