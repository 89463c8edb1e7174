import { describe, expect, vi } from 'vitest';
import { guildOnShard } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { handled } from './support/handlerReports.js';
import { startReporting } from './support/reportingShard.js';
import { WAIT } from './support/waits.js';

describe('workerThreads({ handler }) named as the compiled .js, run from TypeScript sources', () => {
  emulatorTest(
    'a .js URL beside only the .ts source loads that source on the thread, which handles the events',
    async ({ emulatorOfTest }) => {
      // Only reportingHandler.ts exists: the URL a TypeScript bot writes for its compiled module.
      const handler = new URL('./fixtures/reportingHandler.js', import.meta.url);
      const { emu, reports } = await startReporting(emulatorOfTest, { options: { handler } });
      const { id } = emu.simulate.dispatch(
        'AT_MESSAGE_CREATE',
        { content: 'hi' },
        { guildId: guildOnShard(0, 1) },
      );
      await vi.waitFor(() => expect(handled(reports).map((report) => report.id)).toEqual([id]), WAIT);
      expect(reports.filter((report) => report.kind === 'setup')).toHaveLength(1);
    },
  );
});
