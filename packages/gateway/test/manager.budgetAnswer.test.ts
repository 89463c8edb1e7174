import { describe, expect } from 'vitest';
import { emulatorGatewayInfo } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceUntil, useFakeClock } from './support/harness.js';

// `/gateway/bot` numbers are the platform's: a `remaining` above `total` (a day's budget lowered
// while starts were left, say) is not the caller's misuse. The manager starts within the smaller
// of the two instead of failing the start with a ValidationError about a field the caller never set.
describe('a /gateway/bot answer with more session starts remaining than its total', () => {
  emulatorTest('starts the shards instead of failing the start', async ({ emulatorOfTest }) => {
    useFakeClock();
    const emulator = await emulatorOfTest.startEmulator();
    const platform = emulatorGatewayInfo(emulator);
    const manager = emulatorOfTest.manager({
      gateway: {
        gatewayBot: async () => {
          const info = await platform.gatewayBot();
          return { ...info, session_start_limit: { ...info.session_start_limit, total: 2, remaining: 5 } };
        },
      },
    });
    let outcome: unknown = 'pending';
    manager.start().then(
      () => (outcome = 'resolved'),
      (error: unknown) => (outcome = error),
    );
    await advanceUntil(() => outcome !== 'pending' || manager.status()[0]?.state === 'ready', 10_000, 50);

    expect(outcome).toBe('pending');
    expect(manager.status()[0]?.state).toBe('ready');
  });
});
