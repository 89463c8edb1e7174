import { describe, expect } from 'vitest';
import { InMemorySessionStore } from '@bot/gateway';
import { advanceUntilAllReady } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { capturingLogger, useFakeClock } from './support/harness.js';

// An operator reads in the ready line whether a restart spent a session start of the day's budget.
describe('the ready line says whether a shard resumed its session or started a new one', () => {
  emulatorTest(
    'a new session the first time, the stored one resumed by the next manager',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      await emulatorOfTest.startEmulator();
      const sessionStore = new InMemorySessionStore();

      const first = capturingLogger();
      const before = emulatorOfTest.manager({ sessionStore, logger: first.logger });
      const firstRun = before.start();
      await advanceUntilAllReady(before, 1);
      expect(first.lines).toContain('INFO shard 0 ready, new session (1/1 of start())');
      await before.shutdownAll();
      await firstRun;

      const second = capturingLogger();
      const after = emulatorOfTest.manager({ sessionStore, logger: second.logger });
      const secondRun = after.start();
      await advanceUntilAllReady(after, 1);
      expect(second.lines).toContain('INFO shard 0 ready, session resumed (1/1 of start())');
      await after.shutdownAll();
      await secondRun;
    },
  );
});
