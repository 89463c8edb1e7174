import { describe, expect, vi } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { guildOnShard } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceUntil, settleIo, useFakeClock } from './support/harness.js';

const SHARDS = 4;
const EVENTS = 10_000;
const BATCH = 100;

/** Small seeded generator, so a failing run can be replayed exactly. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('delivery under faults', () => {
  emulatorTest(
    'delivers 10,000 dispatches over 4 shards exactly once and in order through drops, op 7, op 9 and 4009',
    async ({ emulatorOfTest }) => {
      const seed = Number(process.env['GATEWAY_TEST_SEED'] ?? 20_240_601);
      const random = mulberry32(seed);
      useFakeClock();
      const { emulator, manager } = await emulatorOfTest.start(
        { sessionStartLimit: { maxConcurrency: SHARDS }, resumeBufferSize: EVENTS, recordLimit: 100_000 },
        // A fault reaches each shard every 1.6 s on average: with the default stability period (60 s)
        // every connection would count as short-lived and the back-off would climb to its cap. This
        // test is about delivery, so a connection that lasted a second counts as healthy.
        { backoff: { stableAfterMs: 1_000 } },
      );
      const run = manager.startShards(SHARDS);
      const allReady = () =>
        manager.status().length === SHARDS && manager.status().every((s) => s.state === 'ready');
      await advanceUntil(allReady, 10_000);

      const seqs = Array.from({ length: SHARDS }, () => [] as number[]);
      const received = Array.from({ length: SHARDS }, () => [] as string[]);
      manager.on('dispatch', (payload: DispatchPayload, shardId) => {
        if (payload.s !== undefined) seqs[shardId]?.push(payload.s);
        if (payload.t === 'AT_MESSAGE_CREATE') received[shardId]?.push(payload.id ?? '');
      });
      const published = Array.from({ length: SHARDS }, () => [] as string[]);
      const faults: string[] = [];
      const inflict = [
        (shard: number) => emulator.faults.dropSocket(shard),
        (shard: number) => emulator.faults.reconnect(shard),
        (shard: number) => emulator.faults.invalidSession(shard, true),
        (shard: number) => emulator.faults.closeShard(shard, 4009),
      ];

      for (let i = 0; i < EVENTS; i++) {
        const shard = i % SHARDS;
        const event = emulator.simulate.dispatch(
          'AT_MESSAGE_CREATE',
          { content: `#${i}` },
          { guildId: guildOnShard(shard, SHARDS, i) },
        );
        published[shard]?.push(event.id);
        if (i % BATCH === BATCH - 1) {
          if (random() < 0.5) {
            const target = Math.floor(random() * SHARDS);
            const kind = Math.floor(random() * inflict.length);
            if ((inflict[kind]?.(target) ?? 0) > 0) faults.push(`${kind}@${target}`);
          }
          await vi.advanceTimersByTimeAsync(200);
          await settleIo();
        }
      }

      const caughtUp = () => received.every((ids, shard) => ids.length >= (published[shard]?.length ?? 0));
      await advanceUntil(() => allReady() && caughtUp(), 120_000, 250);

      expect(faults.length, `faults injected (seed ${seed})`).toBeGreaterThan(20);
      const reconnects = manager.status().reduce((sum, status) => sum + status.reconnects, 0);
      expect(reconnects).toBeGreaterThanOrEqual(faults.length);
      for (let shard = 0; shard < SHARDS; shard++) {
        expect(received[shard], `event ids of shard ${shard} (seed ${seed})`).toEqual(published[shard]);
        const shardSeqs = seqs[shard] ?? [];
        expect(shardSeqs, `seqs of shard ${shard} (seed ${seed})`).toEqual(
          shardSeqs.map((_, index) => (shardSeqs[0] ?? 0) + index),
        );
      }
      const identifies = emulator.recorder.filter((record) => record.kind === 'gateway' && record.op === 2);
      expect(identifies).toHaveLength(SHARDS);
      await manager.shutdownAll();
      await run;
    },
  );
});
