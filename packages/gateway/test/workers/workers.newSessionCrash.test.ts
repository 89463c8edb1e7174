import { describe, expect, vi } from 'vitest';
import { guildOnShard } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, closeCodes, gatewayFrames, heartbeatSeqs } from './support/threadedManager.js';
import { handled } from './support/handlerReports.js';
import { startReporting } from './support/reportingShard.js';
import { WAIT } from './support/waits.js';

/**
 * Heartbeats every 250 ms, so that several pass in the new session; a shard beats no faster than
 * its send budget sustains (two slots per beat), so the budget is raised to match.
 */
const HEARTBEAT_MS = 250;
const SEND_LIMIT = { limit: 60, windowMs: (HEARTBEAT_MS / 2) * 60 };

describe('handlers on a worker thread across a new session, then a crash', () => {
  emulatorTest(
    "a handling of the old session still running does not hold back the new session's resume point or its heartbeats: a crash resumes (no 4007 from a strict platform) and hands none of its handled events again",
    async ({ emulatorOfTest }) => {
      const crashOnce = new SharedArrayBuffer(4);
      const { emu, manager, reports } = await startReporting(emulatorOfTest, {
        data: { crashOnce },
        options: { restartBaseMs: 50 },
        // A Resume from behind what heartbeats acknowledged is refused with 4007.
        emulator: {
          strictResume: true,
          heartbeatInterval: HEARTBEAT_MS,
          heartbeatTimeout: 20 * HEARTBEAT_MS,
        },
        manager: { sendLimit: SEND_LIMIT },
      });
      const guildId = guildOnShard(0, 1);
      const say = (content: string): string =>
        emu.simulate.dispatch('AT_MESSAGE_CREATE', { content }, { guildId }).id;
      const connections = (): number => emu.recorder.filter((record) => record.kind === 'open').length;
      const oldSession = manager.status()[0]?.sessionId;
      // A handling stuck on something that never answers (until handlerTimeoutMs, 120 s).
      const hang = say('hang');
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(1), WAIT);
      emu.faults.invalidSession(0, false);
      await vi.waitFor(() => {
        expect(manager.status()[0]?.sessionId).not.toBe(oldSession);
        expect(manager.status()[0]?.state).toBe('ready');
      }, WAIT);
      const newSession = manager.status()[0]?.sessionId;
      const seqAtReady = manager.status()[0]?.seq ?? 0;
      const inNewSession = ['a', 'b', 'c'].map(say);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(4), WAIT);
      // Handled, so the main thread's resume point moves past them.
      await vi.waitFor(() => expect(manager.status()[0]?.seq).toBe(seqAtReady + 3), WAIT);
      // Heartbeats acknowledge them too, while the old session's handling still hangs.
      await vi.waitFor(() => expect(heartbeatSeqs(emu).at(-1)).toBe(seqAtReady + 3), {
        ...WAIT,
        timeout: 40 * HEARTBEAT_MS,
      });
      const opensBefore = connections();

      const crash = say('crash');
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'setup')).toHaveLength(2),
        WAIT,
      );
      await vi.waitFor(allReady(manager, 1), WAIT);
      expect(manager.status()[0]?.sessionId).toBe(newSession);
      // The new thread resumed the session on one new connection, from no seq behind the heartbeats.
      expect(closeCodes(emu)).not.toContain(4007);
      expect(connections()).toBe(opensBefore + 1);
      expect(gatewayFrames(emu, 6)).toBe(1);
      const later = say('later');
      await vi.waitFor(() => expect(handled(reports).map((report) => report.id)).toContain(later), WAIT);
      expect(handled(reports).map((report) => report.id)).toEqual([hang, ...inNewSession, crash, later]);
    },
    40_000,
  );
});
