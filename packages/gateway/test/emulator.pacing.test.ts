import { describe, expect } from 'vitest';
import type { EmulatorRecord, GatewayFrameRecord } from '@bot/testing';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceBy, advanceUntil, useFakeClock } from './support/harness.js';

const isIdentify = (record: EmulatorRecord): record is GatewayFrameRecord =>
  record.kind === 'gateway' && record.op === 2;
const identifyShard = (record: GatewayFrameRecord) => (record.d as { shard: [number, number] }).shard[0];

describe('identify pacing against the emulator', () => {
  emulatorTest(
    '16 shards with max_concurrency 4: at most 4 identifies per 5 s window, one per bucket, within the budget',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const budgetResetsAt = Date.now() + 120_000;
      const { emulator, manager } = await emulatorOfTest.start({
        sessionStartLimit: { total: 16, remaining: 16, resetAfter: 120_000, maxConcurrency: 4 },
      });
      const run = manager.startShards(16);
      const allReady = () =>
        manager.status().length === 16 && manager.status().every((status) => status.state === 'ready');
      await advanceUntil(allReady, 60_000, 50);

      const identifies = emulator.recorder.filter(isIdentify);
      expect(identifies).toHaveLength(16);
      for (const [i, record] of identifies.entries()) {
        // Any 4 + 1 identifies span more than a window, and every bucket waits a window between turns.
        const fifthLater = identifies[i + 4];
        if (fifthLater) expect(fifthLater.at - record.at).toBeGreaterThanOrEqual(5_000);
        const sameBucketNext = identifies
          .slice(i + 1)
          .find((later) => identifyShard(later) % 4 === identifyShard(record) % 4);
        if (sameBucketNext) expect(sameBucketNext.at - record.at).toBeGreaterThanOrEqual(5_000);
      }
      expect(emulator.recorder.filter((record) => record.kind === 'close')).toHaveLength(0);
      expect(emulator.sessionStartLimit().remaining).toBe(0);

      // Every session now ends: with no starts left the shards wait for the budget instead of burning it.
      for (let shard = 0; shard < 16; shard++) emulator.faults.closeShard(shard, 4006);
      await advanceBy(30_000);
      expect(emulator.recorder.filter(isIdentify)).toHaveLength(16);
      expect(manager.status().every((status) => status.state === 'identifying')).toBe(true);

      await advanceUntil(allReady, 120_000, 50);
      const afterReset = emulator.recorder.filter(isIdentify).slice(16);
      expect(afterReset).toHaveLength(16);
      expect(Math.min(...afterReset.map((record) => record.at))).toBeGreaterThanOrEqual(budgetResetsAt);
      expect(
        emulator.recorder.filter(
          (record) => record.kind === 'close' && record.initiator === 'server' && record.code !== 4006,
        ),
      ).toHaveLength(0);
      await manager.shutdownAll();
      await run;
    },
  );
});
