import { describe, expect, vi } from 'vitest';
import {
  inProcessShards,
  type ShardLease,
  type ShardLeases,
  type ShardManager,
  type ShardStrategy,
} from '@bot/gateway';
import { advanceUntilAllReady } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceUntil, useFakeClock } from './support/harness.js';

/** Leases that record the time each release is given. */
function recordingReleases(): { leases: ShardLeases; given: number[] } {
  const given: number[] = [];
  const lease: ShardLease = {
    lost: new Promise<Error>(() => undefined),
    release: (timeoutMs) => {
      given.push(timeoutMs ?? Number.NaN);
      return Promise.resolve();
    },
  };
  return { leases: { acquire: () => Promise.resolve(lease) }, given };
}

// A shutdown's deadline is counted on the steady clock: a wall clock stepped forward while the shard
// closes must not leave its lease release no time (the next owner would then wait for the lease to
// expire before it can start the shard).
describe('ShardManager.shutdown across a wall-clock step forward', () => {
  emulatorTest('gives the lease release what is left of the deadline', async ({ emulatorOfTest }) => {
    useFakeClock();
    const { leases, given } = recordingReleases();
    await emulatorOfTest.startEmulator();
    const manager = emulatorOfTest.manager({ shardLeases: leases });
    const run = manager.start();
    await advanceUntilAllReady(manager, 1);

    let down = false;
    void manager.shutdown(0, { timeoutMs: 5_000 }).then(() => (down = true));
    vi.setSystemTime(Date.now() + 3_600_000);
    await advanceUntil(() => down, 5_000, 10);
    await run;

    expect(given).toHaveLength(1);
    expect(given[0]).toBeGreaterThan(4_000);
    expect(given[0]).toBeLessThanOrEqual(5_000);
  });
});

/** The default strategy, recording the grace each shard's close is given. */
function recordingCloses(): { strategy: ShardStrategy; graces: number[] } {
  const graces: number[] = [];
  const strategy: ShardStrategy = {
    name: 'in-process, closes recorded',
    create: (context) => {
      const handle = inProcessShards.create(context);
      const close = handle.close.bind(handle);
      handle.close = (options) => {
        graces.push(options?.graceMs ?? Number.NaN);
        return close(options);
      };
      return handle;
    },
  };
  return { strategy, graces };
}

// The steady clock reads fractions of a millisecond; a timeout handed to the user's code (a lease,
// a strategy's shard) is whole.
describe('ShardManager shutdowns hand whole milliseconds to leases and shards', () => {
  emulatorTest.for([
    ['shutdown(0)', (manager: ShardManager) => manager.shutdown(0, { timeoutMs: 5_000 })],
    ['shutdownAll()', (manager: ShardManager) => manager.shutdownAll({ timeoutMs: 5_000 })],
  ] as const)(
    '%s gives the shard close and its lease release whole milliseconds',
    async ([, shutDown], { emulatorOfTest }) => {
      useFakeClock();
      const { leases, given } = recordingReleases();
      const { strategy, graces } = recordingCloses();
      await emulatorOfTest.startEmulator();
      const manager = emulatorOfTest.manager({ shardLeases: leases, strategy });
      const run = manager.start();
      await advanceUntilAllReady(manager, 1);
      await vi.advanceTimersByTimeAsync(0.37);

      let down = false;
      void shutDown(manager).then(() => (down = true));
      await advanceUntil(() => down, 5_000, 10.25);
      await run;

      expect(graces).toHaveLength(1);
      expect(given).toHaveLength(1);
      for (const ms of [...graces, ...given]) {
        expect(Number.isInteger(ms)).toBe(true);
        expect(ms).toBeGreaterThan(4_000);
      }
    },
  );
});
