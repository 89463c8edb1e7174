import { describe, expect } from 'vitest';
import { InMemorySessionStore } from '@bot/gateway';
import { advanceUntilAllReady } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceUntil, capturingLogger, useFakeClock } from './support/harness.js';

// Two processes running one shard: the second resumes the first's stored session, and the platform
// closes the first with 4902. Its log names the likely cause, where it read as any reconnect.
describe('a shard whose session another connection resumed', () => {
  emulatorTest('says in its log that another process may run the same shard', async ({ emulatorOfTest }) => {
    useFakeClock();
    await emulatorOfTest.startEmulator();
    const sessionStore = new InMemorySessionStore();
    const first = capturingLogger();
    const running = emulatorOfTest.manager({ sessionStore, logger: first.logger });
    void running.start();
    await advanceUntilAllReady(running, 1);
    let stored = false;
    void sessionStore.get(0).then((session) => (stored = session !== undefined));
    await advanceUntil(() => stored, 10_000, 50);

    const second = emulatorOfTest.manager({ sessionStore });
    void second.start();
    const closedByResume = (): string | undefined => first.lines.find((line) => line.includes('4902'));
    await advanceUntil(() => closedByResume() !== undefined, 10_000, 50);

    expect(closedByResume()).toContain('another connection resumed this session');
    expect(closedByResume()).toContain('another process runs this shard');
  });
});
