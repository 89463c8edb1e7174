/**
 * A shard's lease at the end of its run: renewals stop at shutdown (a late one would take the lease
 * back from the next process), and a shard taken over delivers nothing more while it closes.
 * docs/redis-deployment.md, "One process per shard".
 */
import { describe, expect, it } from 'vitest';
import { inProcessShards, type ShardStrategy } from '@bot/gateway';
import { ShardLeaseError } from '@bot/gateway/redis';
import { Deferred } from '@bot/core';
import { guildOnShard } from '../support/emulator.js';
import {
  allReady,
  gatewayProcess,
  heldBy,
  leasePlatform,
  ownerKey,
  sessionStarts,
  SHARDS,
} from './support/leaseProcesses.js';
import { useRedisFixture } from './support/redisFixture.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();
const { redis, namespace } = fixture;

const TTL_MS = 300;

describe('RedisShardLeases at the end of a run', () => {
  it('renews nothing after a handoff: the lease stays gone for two TTLs and the next process starts without a warning', async () => {
    const emulator = await leasePlatform(fixture);
    const ns = namespace();
    const first = gatewayProcess(fixture, emulator, ns, { ttlMs: TTL_MS });
    const run = first.manager.startShard(1, SHARDS);
    await until(() => allReady(first.manager, 1), 'the first process ready');
    // Renewed at least once, so its renewal timer runs.
    const taken = await redis().get(ownerKey(ns, 1));
    await new Promise((resolve) => setTimeout(resolve, TTL_MS));
    expect(await redis().get(ownerKey(ns, 1))).toBe(taken);

    await first.manager.handoff();
    await run;
    // Any renewal left running would set the lease again within a third of the TTL.
    await new Promise((resolve) => setTimeout(resolve, 2 * TTL_MS));
    expect(await redis().exists(ownerKey(ns, 1))).toBe(0);

    const second = gatewayProcess(fixture, emulator, ns, { ttlMs: TTL_MS });
    void second.manager.startShard(1, SHARDS).catch(() => undefined);
    await until(() => allReady(second.manager, 1), 'the second process ready');
    expect(second.warnings()).toEqual([]);
    expect(heldBy(await redis().get(ownerKey(ns, 1)), second.leases)).toBe(true);
    expect(sessionStarts(emulator, 1).map((record) => record.op)).toEqual([2, 6]);
  });

  it('delivers no dispatch of a shard after its lease was taken over, while the shard closes', async () => {
    const emulator = await leasePlatform(fixture);
    const ns = namespace();
    // Shards whose close waits for the test, as one on a busy worker thread would.
    const closeMayRun = new Deferred<void>();
    const slowClose: ShardStrategy = {
      name: 'slow close',
      create: (context) => {
        const shard = inProcessShards.create(context);
        const close = shard.close.bind(shard);
        shard.close = async (options) => {
          await closeMayRun.promise;
          return close(options);
        };
        return shard;
      },
    };
    const delivered: string[] = [];
    const first = gatewayProcess(fixture, emulator, ns, { ttlMs: TTL_MS }, fixture.redis(), {
      strategy: slowClose,
      onDispatch: (payload) => void delivered.push(String(payload.t)),
    });
    first.manager.on('dispatch', (payload) => void delivered.push(`listener ${String(payload.t)}`));
    const run = first.manager.startShard(1, SHARDS).catch((reason: unknown) => reason);
    await until(() => allReady(first.manager, 1), 'the first process ready');

    delivered.length = 0; // its READY: only what comes after the takeover counts
    try {
      await redis().set(ownerKey(ns, 1), 'other-host:7:beef03', 'PX', 60_000);
      expect(await run).toBeInstanceOf(ShardLeaseError);
      const seqBefore = first.manager.status()[0]?.seq ?? 0;
      emulator.simulate.dispatch(
        'AT_MESSAGE_CREATE',
        { content: 'late' },
        { guildId: guildOnShard(1, SHARDS) },
      );
      await until(() => (first.manager.status()[0]?.seq ?? 0) > seqBefore, 'the shard read the event');
      expect(delivered).toEqual([]);
    } finally {
      closeMayRun.resolve();
    }
    await until(() => first.manager.status().length === 0, 'the shard shut down');
    expect(delivered).toEqual([]);
  });
});
