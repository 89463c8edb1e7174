/**
 * One shard count per bot, through the manager: a `start*` call of another count than a running
 * process's is refused before any of its shards connects. docs/redis-deployment.md, "One shard count".
 */
import { describe, expect, it } from 'vitest';
import { ShardCountConflictError } from '@bot/gateway/redis';
import type { Emulator } from '@bot/testing';
import {
  allReady,
  gatewayProcess,
  leasePlatform,
  opened,
  ownerKey,
  SHARDS,
} from './support/leaseProcesses.js';
import { useRedisFixture } from './support/redisFixture.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();
const { redis, namespace } = fixture;
const platform = (): Promise<Emulator> => leasePlatform(fixture);

describe('ShardManager with RedisShardLeases: one shard count', () => {
  it('refuses a range of another shard count while a process of the first runs, connecting nothing', async () => {
    const emulator = await platform();
    const ns = namespace();
    const first = gatewayProcess(fixture, emulator, ns, { ttlMs: 60_000 });
    void first.manager.startShardRange({ from: 0, to: 1 }, SHARDS).catch(() => undefined);
    await until(() => allReady(first.manager, 2), 'the first process ready');

    const second = gatewayProcess(fixture, emulator, ns, { ttlMs: 60_000 });
    const error: unknown = await second.manager.startShardRange({ from: 2, to: 4 }, SHARDS + 1).then(
      () => 'resolved',
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ShardCountConflictError);
    expect(error).toMatchObject({ shardCount: SHARDS + 1, otherShardCount: SHARDS });
    expect(second.manager.status()).toEqual([]);
    expect(opened(emulator)).toBe(2);
    for (const id of [2, 3, 4]) expect(await redis().exists(ownerKey(ns, id))).toBe(0);

    // The same count beside it is accepted.
    void second.manager.startShardRange({ from: 2, to: 3 }, SHARDS).catch(() => undefined);
    await until(() => allReady(second.manager, 2), 'the second process ready');
  });
});
