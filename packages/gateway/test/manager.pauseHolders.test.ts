/**
 * `ShardManager.pause(id, holder)` and `resume(id, holder)` hold a shard's reading under a named
 * holder, as `Shard.pause(holder)` does: the shard reads again only once every holder has resumed.
 * The worker-thread side is in workers/workers.manager.test.ts.
 */
import { describe, expect } from 'vitest';
import { ValidationError } from '@bot/core';
import { DEFAULT_PAUSE_HOLDER, type DispatchPayload, type ShardManager } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { emulatorTest, type EmulatorAndManager, type EmulatorOfTest } from './support/emulatorTest.js';
import { advanceBy, advanceUntil, useFakeClock } from './support/harness.js';

async function bootOneShard(emulatorOfTest: EmulatorOfTest): Promise<EmulatorAndManager> {
  useFakeClock();
  const booted = await emulatorOfTest.start({ heartbeatInterval: 41_250, resumeBufferSize: 1_000 });
  booted.manager.start().catch(() => undefined);
  await advanceUntil(() => booted.manager.status()[0]?.state === 'ready', 10_000);
  return booted;
}

/** The ids of the guild messages `manager` delivers. */
function collect(manager: ShardManager): string[] {
  const ids: string[] = [];
  manager.on('dispatch', (payload: DispatchPayload) => {
    if (payload.t === 'AT_MESSAGE_CREATE') ids.push(payload.id ?? '');
  });
  return ids;
}

function publish(emulator: Emulator, count: number): string[] {
  return Array.from(
    { length: count },
    (_, n) => emulator.simulate.dispatch('AT_MESSAGE_CREATE', { content: `#${n}` }).id,
  );
}

describe('ShardManager pause holders (in-process shard)', () => {
  emulatorTest(
    'forwards the holder: reading goes on only once the last holder resumes, every held event once and in order',
    async ({ emulatorOfTest }) => {
      const { emulator, manager } = await bootOneShard(emulatorOfTest);
      const received = collect(manager);
      const lanes = Symbol('lanes');
      manager.pause(0, 'publisher');
      manager.pause(0, lanes);
      expect(manager.shards.get(0)?.pausedBy).toEqual(['publisher', lanes]);
      const sent = publish(emulator, 12);

      manager.resume(0, lanes);
      await advanceBy(5_000, 250);
      expect(manager.status()[0]?.paused).toBe(true);
      expect(manager.shards.get(0)?.pausedBy).toEqual(['publisher']);
      expect(received).toEqual([]);

      manager.resume(0, 'publisher');
      expect(manager.shards.get(0)?.paused).toBe(false);
      await advanceUntil(() => received.length === sent.length, 5_000);
      expect(received).toEqual(sent);
    },
  );

  emulatorTest(
    'without a holder it is the default holder, which neither lifts another holder nor is lifted by one',
    async ({ emulatorOfTest }) => {
      const { manager } = await bootOneShard(emulatorOfTest);
      manager.pause(0);
      manager.pause(0, 'audit');
      expect(manager.shards.get(0)?.pausedBy).toEqual([DEFAULT_PAUSE_HOLDER, 'audit']);
      manager.resume(0);
      expect(manager.shards.get(0)?.pausedBy).toEqual(['audit']);
      manager.pause(0);
      manager.resume(0, 'audit');
      expect(manager.shards.get(0)?.pausedBy).toEqual([DEFAULT_PAUSE_HOLDER]);
      manager.resume(0, DEFAULT_PAUSE_HOLDER);
      expect(manager.shards.get(0)?.paused).toBe(false);
    },
  );

  emulatorTest('refuses a shard that does not run here, naming the id', async ({ emulatorOfTest }) => {
    const { manager } = await bootOneShard(emulatorOfTest);
    expect(() => manager.pause(3, 'audit')).toThrow(ValidationError);
    expect(() => manager.resume(3, 'audit')).toThrow('names no running shard (got 3)');
  });
});
