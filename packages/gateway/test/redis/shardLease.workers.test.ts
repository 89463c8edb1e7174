/**
 * Shard leases with shards on worker threads: the manager takes, renews and gives back the leases
 * on the main thread, where its Redis client lives, whatever thread runs the shard.
 * docs/redis-deployment.md, "One process per shard".
 */
import { describe, expect, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import { RedisKeys, RedisSessionStore, RedisShardLeases, ShardLeaseError } from '@bot/gateway/redis';
import { emulatorTest } from '../support/emulatorTest.js';
import { failure, WAIT } from '../workers/support/waits.js';
import { workerEmulator } from '../workers/support/workerEmulator.js';
import { useRedisFixture } from './support/redisFixture.js';

const SHARDS = 4;
const fixture = useRedisFixture();

describe('shard leases for shards on worker threads', () => {
  emulatorTest(
    'refuse an overlapping range in a second manager, stop a shard taken over, and are given back at shutdown',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, {
        shards: SHARDS,
        sessionStartLimit: { maxConcurrency: 4 },
      });
      const namespace = fixture.namespace(emu.appId);
      const keys = new RedisKeys(namespace);
      const sessionStore = new RedisSessionStore(fixture.redis(), namespace);
      fixture.track(() => sessionStore.close());
      const leasesOf = (): RedisShardLeases =>
        new RedisShardLeases(fixture.redis(), { ...namespace, ttlMs: 1_000 });

      const firstLeases = leasesOf();
      const first = emulatorOfTest.manager({
        strategy: workerThreads({ workers: 1 }),
        sessionStore,
        shardLeases: firstLeases,
      });
      const firstRun = failure(first.startShardRange({ from: 0, to: 1 }, SHARDS));
      await vi.waitFor(
        () => expect(first.status().map(({ state }) => state)).toEqual(['ready', 'ready']),
        WAIT,
      );

      const second = emulatorOfTest.manager({
        strategy: workerThreads({ workers: 1 }),
        sessionStore,
        shardLeases: leasesOf(),
      });
      const refused = await failure(second.startShardRange({ from: 1, to: 2 }, SHARDS));
      expect(refused).toBeInstanceOf(ShardLeaseError);
      expect(refused).toMatchObject({ shardId: 1, conflict: 'heldElsewhere' });
      expect((refused as { owner: string }).owner.startsWith(`${firstLeases.owner}#`)).toBe(true);
      expect(second.status()).toEqual([]);
      expect(emu.recorder.filter((record) => record.kind === 'open')).toHaveLength(2);

      // Another process took shard 0 over: the worker shard stops, and with it (stopAll) shard 1.
      await fixture.redis().set(keys.shardOwner(0), 'other-host:9:c0ffee', 'PX', 60_000);
      expect(await firstRun).toMatchObject({ kind: 'shardLease', shardId: 0, conflict: 'takenOver' });
      await vi.waitFor(() => expect(first.status()).toEqual([]), WAIT);
      expect(await fixture.redis().get(keys.shardOwner(0))).toBe('other-host:9:c0ffee');
      expect(await fixture.redis().exists(keys.shardOwner(1))).toBe(0); // shard 1 given back
    },
  );
});
