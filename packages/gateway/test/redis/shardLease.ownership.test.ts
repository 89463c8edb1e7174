/**
 * What makes a lease one process's: each claim holds a token of its own (the owner name and a
 * random suffix), so two processes given the same `owner`, or two managers sharing one
 * `RedisShardLeases`, never both hold a shard; and a holder whose TTL is longer than this process's
 * is waited for until its lease could have expired. docs/redis-deployment.md, "One process per shard".
 */
import { describe, expect, it } from 'vitest';
import { ShardLeaseError } from '@bot/gateway/redis';
import { emulatorManager } from '../support/emulator.js';
import {
  allReady,
  gatewayProcess,
  heldBy,
  leasePlatform,
  opened,
  ownerKey,
  sessionStarts,
  SHARDS,
} from './support/leaseProcesses.js';
import { useRedisFixture } from './support/redisFixture.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();
const { redis, namespace } = fixture;

const failureOf = (run: Promise<void>): Promise<unknown> =>
  run.then(
    () => 'resolved',
    (reason: unknown) => reason,
  );

describe('RedisShardLeases: a lease belongs to one claim', () => {
  it("two processes with the same owner name: the second's overlapping range is refused with ShardLeaseError", async () => {
    const emulator = await leasePlatform(fixture);
    const ns = namespace();
    const first = gatewayProcess(fixture, emulator, ns, { ttlMs: 300, owner: 'bot' });
    void first.manager.startShard(1, SHARDS).catch(() => undefined);
    await until(() => allReady(first.manager, 1), 'the first process ready');
    const firstHolder = await redis().get(ownerKey(ns, 1));

    const second = gatewayProcess(fixture, emulator, ns, { ttlMs: 300, owner: 'bot' });
    const error = await failureOf(second.manager.startShardRange({ from: 1, to: 2 }, SHARDS));

    expect(error).toBeInstanceOf(ShardLeaseError);
    expect(error).toMatchObject({ shardId: 1, owner: firstHolder, conflict: 'heldElsewhere' });
    expect(second.manager.status()).toEqual([]);
    expect(sessionStarts(emulator, 1)).toHaveLength(1);
    expect(opened(emulator)).toBe(1);
    // The first process still holds its lease and runs its shard.
    expect(heldBy(await redis().get(ownerKey(ns, 1)), first.leases)).toBe(true);
    expect(allReady(first.manager, 1)).toBe(true);
  });

  it('one RedisShardLeases passed to two managers: the second start of a shard it holds is refused', async () => {
    const emulator = await leasePlatform(fixture);
    const ns = namespace();
    const first = gatewayProcess(fixture, emulator, ns, { ttlMs: 300 });
    void first.manager.startShard(3, SHARDS).catch(() => undefined);
    await until(() => allReady(first.manager, 1), 'the first manager ready');

    const second = emulatorManager(emulator, { shardLeases: first.leases });
    fixture.track(() => second.shutdownAll());
    const error = await failureOf(second.startShard(3, SHARDS));

    expect(error).toBeInstanceOf(ShardLeaseError);
    expect(error).toMatchObject({ shardId: 3, conflict: 'heldElsewhere' });
    expect((error as Error).message).toContain('holds it already');
    expect(second.status()).toEqual([]);
    expect(sessionStarts(emulator, 3)).toHaveLength(1);

    // Its lease is intact: the first manager's shutdown gives it back.
    expect(heldBy(await redis().get(ownerKey(ns, 3)), first.leases)).toBe(true);
    await first.manager.shutdownAll();
    expect(await redis().exists(ownerKey(ns, 3))).toBe(0);
  });

  it("waits for a holder whose TTL is longer than this process's, and starts once its lease expired", async () => {
    const emulator = await leasePlatform(fixture);
    const ns = namespace();
    // A process configured with five times this one's ttlMs, killed: its lease is never renewed.
    const longer = 'long-ttl-host:5:abcdef';
    await redis().set(ownerKey(ns, 2), longer, 'PX', 1_500);

    const next = gatewayProcess(fixture, emulator, ns, { ttlMs: 300 });
    const run = failureOf(next.manager.startShard(2, SHARDS));
    await until(() => allReady(next.manager, 1), 'the shard ready after the long lease expired');

    expect(heldBy(await redis().get(ownerKey(ns, 2)), next.leases)).toBe(true);
    expect(next.warnings()).toEqual([expect.stringContaining(`"${longer}" holds its lease`)]);
    await next.manager.shutdownAll();
    expect(await run).toBe('resolved');
  });
});
