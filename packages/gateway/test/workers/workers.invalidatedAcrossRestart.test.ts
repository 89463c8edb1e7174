/**
 * On real worker threads against the emulator: the platform ends every session right after its
 * READY (op 9, `d: false`), and the shard's thread is killed after the third. In one process the
 * shard identifies five times, then pauses (`invalidatedSessionPauseMs`, ten minutes here); the new
 * thread's shard goes on counting from three, so the bot still sends five Identifies before the
 * pause. Its count started from zero before, and the new thread identified five more times.
 */
import { describe, expect, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import { emulatorFor, gatewayFrames, workerManager } from './support/threadedManager.js';

const WAIT = { timeout: 60_000, interval: 50 };

describe('a worker shard whose sessions op 9 keeps ending', () => {
  emulatorTest(
    'pauses at the fifth in a row counted across a thread restart, not five more after it',
    { timeout: 120_000 },
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 1);
      const strategy = workerThreads({ workers: 1, restartBaseMs: 50 });
      const manager = workerManager(emulatorOfTest, strategy, { onFatal: 'keepHealthy' });
      manager.on('error', () => undefined);
      // Each session is ended by op 9 as it becomes ready.
      manager.on('state', (state) => {
        if (state === 'ready') setTimeout(() => emu.faults.invalidSession(0, false), 20);
      });
      let ended = 0;
      let killed = false;
      manager.on('close', (event) => {
        if (event.ending !== 'invalidSessionSoon') return;
        ended += 1;
        // The thread's count has crossed with this close event; then the thread is lost.
        if (ended === 3 && !killed) {
          killed = true;
          setTimeout(() => void strategy.threads()[0]?.thread?.terminate(), 100);
        }
      });
      void manager.start().catch(() => undefined);
      await vi.waitFor(() => expect(manager.status()[0]?.identifyPause).toBeDefined(), WAIT);
      expect(killed).toBe(true);
      expect(manager.status()[0]?.identifyPause).toMatchObject({ sessions: 5 });
      // Five Identifies, then the pause: no more for as long as a quick retry would take.
      expect(gatewayFrames(emu, 2)).toBe(5);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(gatewayFrames(emu, 2)).toBe(5);
    },
  );
});
