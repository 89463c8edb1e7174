/**
 * A shutdown's deadline covers giving the shards' leases back: a lease store that does not answer
 * (Redis down) costs the next owner a TTL wait, never the shutdown its deadline.
 */
import { describe, expect } from 'vitest';
import type { ShardLease, ShardLeases } from '@bot/gateway';
import { advanceUntilAllReady } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { advanceBy, useFakeClock } from '../support/harness.js';

/** Leases taken at once whose release never answers, as during a Redis outage. */
class UnansweredReleases implements ShardLeases {
  public releases = 0;

  public acquire(): Promise<ShardLease> {
    return Promise.resolve({
      lost: new Promise<Error>(() => undefined),
      release: () => {
        this.releases++;
        return new Promise<void>(() => undefined);
      },
    });
  }
}

describe('giving leases back at shutdown', () => {
  emulatorTest(
    'shutdownAll({ timeoutMs: 1000 }) settles by its deadline though no release answers',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      await emulatorOfTest.startEmulator();
      const leases = new UnansweredReleases();
      const manager = emulatorOfTest.manager({ shardLeases: leases });
      const run = manager.start();
      await advanceUntilAllReady(manager, 1);

      let settled = false;
      const shutdown = manager.shutdownAll({ timeoutMs: 1_000 }).then(() => void (settled = true));
      await advanceBy(1_000, 100);
      expect(leases.releases).toBe(1);
      expect(settled).toBe(true);
      await shutdown;
      await run;
    },
  );
});
