import { Deferred } from '@bot/core';
import type { ShardLease, ShardLeases } from '@bot/gateway';
import { describe, expect } from 'vitest';
import { emulatorTest } from './support/emulatorTest.js';

/** Leases that any test can take away from every shard at once, with one error object. */
function leasesLostTogether(): { leases: ShardLeases; takeOver: (error: Error) => void } {
  const lost = new Deferred<Error>();
  const lease: ShardLease = { lost: lost.promise, release: () => Promise.resolve() };
  return { leases: { acquire: () => Promise.resolve(lease) }, takeOver: (error) => lost.resolve(error) };
}

describe("ShardManager's error event", () => {
  emulatorTest(
    'emits an error each shard reports, even one object two shards share, with the id of each',
    async ({ emulatorOfTest }) => {
      const { leases, takeOver } = leasesLostTogether();
      const { manager } = await emulatorOfTest.start(
        { sessionStartLimit: { maxConcurrency: 2 } },
        { shardLeases: leases, onFatal: 'keepHealthy' },
      );
      const emitted: Array<{ error: Error; shardId: number }> = [];
      manager.on('error', (error, shardId) => void emitted.push({ error, shardId }));
      const run = manager.startShards(2);
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (manager.status().length === 2 && manager.status().every((s) => s.state === 'ready')) resolve();
          else setTimeout(check, 10);
        };
        check();
      });

      // A lease implementation of the user's own may hand one error to every shard it takes.
      const shared = new Error('both leases were taken over by another process');
      takeOver(shared);
      await run.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(emitted.map(({ error }) => error)).toEqual([shared, shared]);
      expect(emitted.map(({ shardId }) => shardId).sort()).toEqual([0, 1]);
    },
  );
});
