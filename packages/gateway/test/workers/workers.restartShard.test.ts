import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, vi } from 'vitest';
import { emulatorTest } from '../support/emulatorTest.js';
import { handled } from './support/handlerReports.js';
import { startReporting } from './support/reportingShard.js';
import { allReady, publish } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

describe('restart(id) of a shard whose thread holds handlings', () => {
  emulatorTest(
    'resumes the session with the handlings still running: each event is handled once, none lost, and the resume point ends past them',
    async ({ emulatorOfTest }) => {
      const gate = `restart-gate-${process.pid}`;
      const { emu, manager, reports } = await startReporting(emulatorOfTest, { data: { gate } });
      const sessionId = manager.status()[0]?.sessionId;
      const before = manager.status()[0]?.seq ?? 0;
      const held = publish(emu, 3, 1);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(3), WAIT);

      manager.restart(0);
      await vi.waitFor(() => expect(manager.status()[0]?.reconnects).toBe(1), WAIT);
      await vi.waitFor(allReady(manager, 1), WAIT);
      // The resume replays what was read past the last event handled; the shard hands none of it again.
      expect(manager.status()[0]).toMatchObject({ sessionId, seq: before });
      const opener = new BroadcastChannel(gate);
      opener.postMessage('open');
      opener.close();
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'finished')).toHaveLength(3),
        WAIT,
      );
      const later = publish(emu, 1, 1, 3);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(4), WAIT);
      expect(handled(reports).map((report) => report.id)).toEqual([...held, ...later]);
      await vi.waitFor(() => expect(manager.status()[0]?.seq).toBeGreaterThanOrEqual(before + 4), WAIT);
      expect(manager.status()[0]?.sessionId).toBe(sessionId);
    },
    30_000,
  );
});
