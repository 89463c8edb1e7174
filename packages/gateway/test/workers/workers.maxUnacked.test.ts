import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { emulatorTest } from '../support/emulatorTest.js';
import { handled, listen } from './support/handlerReports.js';
import { allReady, emulatorFor, gatewayFrames, publish, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

const REPORTING = new URL('./fixtures/reportingHandler.ts', import.meta.url);
const MAX_UNACKED = 4;
const EVENTS = 10;
/**
 * Heartbeats every 250 ms, so that several pass while the thread holds. A shard beats no faster
 * than its send budget sustains (two slots per beat), so the budget is raised to match.
 */
const HEARTBEAT_MS = 250;
const SEND_LIMIT = { limit: 60, windowMs: (HEARTBEAT_MS / 2) * 60 };

/** Everything the emulator recorded, oldest first. */
const recorded = (emu: Emulator) => emu.recorder.filter(() => true);

/** The sequence numbers of the guild messages the emulator sent, in order. */
const sentSeqs = (emu: Emulator): number[] =>
  recorded(emu).flatMap((record) =>
    record.kind === 'sent' && record.payload.t === 'AT_MESSAGE_CREATE' ? [record.payload.s ?? 0] : [],
  );

/** The seq of each heartbeat the emulator received (what the shard had read), in order. */
const heartbeatSeqs = (emu: Emulator): Array<number | null> =>
  recorded(emu).flatMap((record) =>
    record.kind === 'gateway' && record.op === 1 ? [record.d as number | null] : [],
  );

const closes = (emu: Emulator): unknown[] => emu.recorder.filter((record) => record.kind === 'close');

describe('workerThreads({ handler, maxUnacked }) against the emulator', () => {
  emulatorTest(
    'a thread holding maxUnacked handlings stops reading while heartbeats go on, and reads again once they finish: every event handled once, the session kept',
    async ({ emulatorOfTest }) => {
      // The emulator's deadline for a heartbeat is lenient: a loaded machine may be late.
      const emu = await emulatorFor(emulatorOfTest, 1, {
        heartbeatInterval: HEARTBEAT_MS,
        heartbeatTimeout: 20 * HEARTBEAT_MS,
      });
      const { channel, reports } = listen();
      const gate = `${channel}-gate`;
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({
          workers: 1,
          handler: REPORTING,
          handlerData: { channel, gate },
          maxUnacked: MAX_UNACKED,
        }),
        { sendLimit: SEND_LIMIT },
      );
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      const session = manager.status()[0]?.sessionId;

      const ids = publish(emu, EVENTS, 1);
      // The thread hands maxUnacked events to the handler, whose handlings hold, and stops reading.
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(MAX_UNACKED), WAIT);
      await vi.waitFor(() => expect(sentSeqs(emu)).toHaveLength(EVENTS), WAIT);
      const beatsWhenHeld = heartbeatSeqs(emu).length;
      await vi.waitFor(
        () => expect(heartbeatSeqs(emu).length).toBeGreaterThanOrEqual(beatsWhenHeld + 3),
        // Well within the test's time: beats that stopped fail here, naming the count.
        { ...WAIT, timeout: 40 * HEARTBEAT_MS },
      );
      // Three heartbeats later: nothing more handed, the heartbeats acknowledge only the events
      // read (up to the last handed), and the connection stayed up.
      expect(handled(reports).map((report) => report.id)).toEqual(ids.slice(0, MAX_UNACKED));
      const seqs = sentSeqs(emu);
      expect(heartbeatSeqs(emu).at(-1)).toBe(seqs[MAX_UNACKED - 1]);
      expect(closes(emu)).toEqual([]);

      // The handlings finish: reading resumes and every event is handled, once, in order.
      const opener = new BroadcastChannel(gate);
      opener.postMessage('open');
      opener.close();
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'finished')).toHaveLength(EVENTS),
        WAIT,
      );
      expect(handled(reports).map((report) => report.id)).toEqual(ids);
      // Heartbeats acknowledge the last event; one connection, one identify, no resume, no close.
      await vi.waitFor(() => expect(heartbeatSeqs(emu).at(-1)).toBe(seqs.at(-1)), WAIT);
      expect(closes(emu)).toEqual([]);
      expect(emu.recorder.filter((record) => record.kind === 'open')).toHaveLength(1);
      expect([gatewayFrames(emu, 2), gatewayFrames(emu, 6)]).toEqual([1, 0]);
      // The main thread's resume point is the last event, handled.
      await vi.waitFor(() => expect(manager.status()[0]?.seq).toBe(seqs.at(-1)), WAIT);
      expect(manager.status()[0]).toMatchObject({ state: 'ready', sessionId: session });
    },
  );
});
