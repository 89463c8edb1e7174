import { describe, expect } from 'vitest';
import { Deferred, ValidationError } from '@bot/core';
import type { ShardLease, ShardLeases } from '@bot/gateway';
import type { GatewayFrameRecord } from '@bot/testing';
import { advanceUntilAllReady } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceBy, advanceUntil, useFakeClock } from './support/harness.js';

/** Leases whose release waits until the test lets it go, as a remote lease store that is slow to answer. */
function slowReleases(): { leases: ShardLeases; releasing: () => boolean; letGo: () => void } {
  const let_ = new Deferred<void>();
  let releasing = false;
  const lease: ShardLease = {
    lost: new Promise<Error>(() => undefined),
    release: async () => {
      releasing = true;
      await let_.promise;
    },
  };
  return {
    leases: { acquire: () => Promise.resolve(lease) },
    releasing: () => releasing,
    letGo: () => let_.resolve(),
  };
}

// A shard being shut down is on its way out: restart(id) must not bring it back. Before, a restart
// that came while the shutdown released the shard's lease started the closed shard again; the
// shutdown then took it off the manager, which left it connected with nobody to stop it.
describe('restart(id) while that shard shuts down', () => {
  emulatorTest('is refused, and the shard stays down', async ({ emulatorOfTest }) => {
    useFakeClock();
    const { leases, releasing, letGo } = slowReleases();
    const emulator = await emulatorOfTest.startEmulator();
    const manager = emulatorOfTest.manager({ shardLeases: leases });
    const run = manager.start();
    await advanceUntilAllReady(manager, 1);
    const shard = manager.shards.get(0)!;

    const down = manager.shutdown(0);
    await advanceUntil(releasing, 10_000, 10);
    let refusal: unknown;
    try {
      manager.restart(0);
    } catch (error) {
      refusal = error;
    } finally {
      letGo();
    }
    await down;
    await run;
    await advanceBy(5_000, 100);

    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as Error).message).toBe(
      'id names shard 0, which is shutting down: start it again once shutdown(0) has resolved',
    );

    const greetings = emulator.recorder.filter(
      (record): record is GatewayFrameRecord =>
        record.kind === 'gateway' && (record.op === 2 || record.op === 6),
    );
    expect(greetings).toHaveLength(1);
    expect(shard.state).toBe('closed');
    expect(manager.shards.size).toBe(0);
  });
});
