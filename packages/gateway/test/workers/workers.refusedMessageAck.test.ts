import { describe, expect, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, gatewayFrames, publish, workerManager } from './support/threadedManager.js';
import { handled, listen } from './support/handlerReports.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

const fixture = (name: string): URL => new URL(`./fixtures/${name}.ts`, import.meta.url);

/** The close codes of the gateway connections that ended. */
const closeCodes = (emu: Emulator): number[] =>
  emu.recorder.records.flatMap((record) => (record.kind === 'close' ? [record.code] : []));

// A thread stopped for a message the main thread refuses: what it posted after is not acted on,
// but with a handler module its heartbeats may have acknowledged what it handled meanwhile. The
// session stored for the next thread must not be behind that, or a strict platform refuses the
// resume (4007).
describe('a thread with a handler module stopped for a refused message, against a strict platform', () => {
  emulatorTest(
    'the next thread resumes its session: no resume is refused',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, { heartbeatInterval: 100, strictResume: true });
      const { channel, reports } = listen();
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({
          workers: 1,
          handler: fixture('malformedPostHandler'),
          handlerData: { channel, refuseOnce: new SharedArrayBuffer(4) },
          restartBaseMs: 50,
          restartMaxMs: 50,
        }),
        // A budget that allows heartbeats every 100 ms.
        { sendLimit: { limit: 1_200, windowMs: 60_000 } },
      );
      void manager.startShards(1).catch(() => undefined);
      await vi.waitFor(allReady(manager, 1), WAIT);
      emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'refused' });
      const ids = publish(emu, 5, 1);
      // The main thread busy: the thread handles what it read, and heartbeats, before the refused
      // message is read here and the thread stopped; its reports of them are then not taken.
      const until = Date.now() + 800;
      while (Date.now() < until);
      await vi.waitFor(() => expect(gatewayFrames(emu, 6)).toBe(1), WAIT);
      await vi.waitFor(allReady(manager, 1), WAIT);
      await vi.waitFor(
        () => expect(handled(reports).map((report) => report.id)).toEqual(expect.arrayContaining(ids)),
        WAIT,
      );

      expect(closeCodes(emu)).not.toContain(4007); // the resume was not refused
      expect(gatewayFrames(emu, 2)).toBe(1); // never identified again
    },
    30_000,
  );
});
