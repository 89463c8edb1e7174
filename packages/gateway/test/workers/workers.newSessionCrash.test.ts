import { describe, expect, vi } from 'vitest';
import type { Emulator } from '@bot/testing';
import { guildOnShard } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, closeCodes, heartbeatSeqs } from './support/threadedManager.js';
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
      // A loaded machine may stall the main thread past a 250 ms beat, and the shard then reconnects
      // as from a zombie connection: so Resumes are counted from here, and at least one is expected.
      const sinceCrash = emu.recorder.mark();

      const crash = say('crash');
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'setup')).toHaveLength(2),
        WAIT,
      );
      await vi.waitFor(allReady(manager, 1), WAIT);
      expect(manager.status()[0]?.sessionId).toBe(newSession);
      // The new thread resumed the session, never from a seq behind the heartbeats (4007), and last
      // from just past the crash, which was handled before the thread ended.
      expect(closeCodes(emu)).not.toContain(4007);
      const resumes = resumesFrom(emu, sinceCrash);
      expect(resumes.length).toBeGreaterThanOrEqual(1);
      for (const resume of resumes) {
        expect(resume.session_id).toBe(newSession);
        expect(resume.seq).toBeGreaterThanOrEqual(seqAtReady + 3);
      }
      expect(resumes.at(-1)?.seq).toBe(seqAtReady + 4);
      const later = say('later');
      await vi.waitFor(() => expect(handled(reports).map((report) => report.id)).toContain(later), WAIT);
      expect(handled(reports).map((report) => report.id)).toEqual([hang, ...inNewSession, crash, later]);
    },
    40_000,
  );
});

/** The Resumes (op 6) the emulator received from the record `from` on, oldest first. */
function resumesFrom(emu: Emulator, from: number): Array<{ session_id?: string; seq?: number }> {
  return emu.recorder
    .filter(() => true)
    .flatMap((record) =>
      record.kind === 'gateway' && record.op === 6 && record.index >= from
        ? [record.d as { session_id?: string; seq?: number }]
        : [],
    );
}
