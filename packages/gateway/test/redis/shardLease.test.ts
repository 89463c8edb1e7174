/**
 * One process per shard: `RedisShardLeases` as a manager's `shardLeases`. Two managers here stand
 * for two processes (each has its own owner id), sharing one Redis, one session store namespace and
 * one emulator. docs/redis-deployment.md, "One process per shard".
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { ShutDownBeforeStartError } from '@bot/gateway';
import {
  RedisKeys,
  RedisShardLeases,
  ShardLeaseError,
  type RedisShardLeasesOptions,
} from '@bot/gateway/redis';
import type { Emulator } from '@bot/testing';
import type { Redis } from 'ioredis';
import {
  allReady,
  gatewayProcess as processOf,
  heldBy,
  heldByPattern,
  leasePlatform,
  opened,
  ownerKey,
  sessionStarts,
  SHARDS,
  type LeaseProcess,
} from './support/leaseProcesses.js';
import { useRedisFixture, type RedisNamespace } from './support/redisFixture.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();
const { redis, namespace, connectThroughLink } = fixture;
const platform = (): Promise<Emulator> => leasePlatform(fixture);
const gatewayProcess = (
  emulator: Emulator,
  ns: RedisNamespace,
  leaseOptions: Partial<RedisShardLeasesOptions> = {},
  connection?: Redis,
): LeaseProcess => processOf(fixture, emulator, ns, leaseOptions, connection);

describe('RedisShardLeases: each shard runs in one process', () => {
  it("fails a second process's overlapping range with a ShardLeaseError naming the owner; shard 1 runs once", async () => {
    const emulator = await platform();
    const ns = namespace();
    const first = gatewayProcess(emulator, ns, { ttlMs: 1_000 });
    void first.manager.startShardRange({ from: 0, to: 1 }, SHARDS).catch(() => undefined);
    await until(() => allReady(first.manager, 2), 'the first process ready');

    const second = gatewayProcess(emulator, ns, { ttlMs: 1_000 });
    const error: unknown = await second.manager.startShardRange({ from: 1, to: 2 }, SHARDS).then(
      () => 'resolved',
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(ShardLeaseError);
    expect(error).toMatchObject({
      kind: 'shardLease',
      shardId: 1,
      owner: expect.stringMatching(heldByPattern(first.leases)),
      conflict: 'heldElsewhere',
    });
    expect((error as Error).message).toMatch(/shard 1 was not started: process ".+" runs it/);
    expect((error as Error).message).toContain('shard ranges of your processes do not overlap');
    // All or none: shard 2, free, was not started either; nothing of the second process connected.
    expect(second.manager.status()).toEqual([]);
    expect(opened(emulator)).toBe(2);
    expect(sessionStarts(emulator, 1)).toHaveLength(1);
    expect(sessionStarts(emulator, 2)).toHaveLength(0);
    expect(await redis().exists(ownerKey(ns, 2))).toBe(0);
    expect(allReady(first.manager, 2)).toBe(true);
    // Warned once, naming the holder, while it waited.
    expect(second.warnings()).toEqual([expect.stringContaining(`"${first.leases.owner}#`)]);
    expect(second.warnings()[0]).toContain('holds its lease');
  });

  it('starts a shard whose previous owner was killed (no release) once that lease expires', async () => {
    const emulator = await platform();
    const ns = namespace();
    const killed = 'killed-host:4242:dead00';
    await redis().set(ownerKey(ns, 1), killed, 'PX', 2_000);

    const next = gatewayProcess(emulator, ns, { ttlMs: 1_000 });
    const run = next.manager.startShard(1, SHARDS);
    run.catch(() => undefined);
    await until(() => next.warnings().length > 0, 'the warning about the held lease');
    expect(next.warnings()).toEqual([expect.stringContaining(`"${killed}" holds its lease`)]);
    expect(opened(emulator)).toBe(0); // waiting: nothing connected while the old lease lives

    await until(() => allReady(next.manager, 1), 'the shard ready after the old lease expired');
    expect(heldBy(await redis().get(ownerKey(ns, 1)), next.leases)).toBe(true);
    expect(sessionStarts(emulator, 1)).toHaveLength(1);
  });

  it('gives the lease up at shutdown, so the next process starts without waiting for the TTL', async () => {
    const emulator = await platform();
    const ns = namespace();
    // A TTL far beyond the test's timeout: only a release lets the second process start.
    const first = gatewayProcess(emulator, ns, { ttlMs: 600_000 });
    const run = first.manager.startShard(1, SHARDS);
    await until(() => allReady(first.manager, 1), 'the first process ready');
    expect(heldBy(await redis().get(ownerKey(ns, 1)), first.leases)).toBe(true);

    await first.manager.handoff();
    await run;
    expect(await redis().exists(ownerKey(ns, 1))).toBe(0);

    const second = gatewayProcess(emulator, ns, { ttlMs: 600_000 });
    void second.manager.startShard(1, SHARDS).catch(() => undefined);
    await until(() => allReady(second.manager, 1), 'the second process ready');
    expect(second.warnings()).toEqual([]);
    // It resumed the session the first one handed off.
    expect(sessionStarts(emulator, 1).map((record) => record.op)).toEqual([2, 6]);
  });

  it('stops a running shard whose lease another process took over, failing its start call', async () => {
    const emulator = await platform();
    const ns = namespace();
    const first = gatewayProcess(emulator, ns, { ttlMs: 600 });
    const run = first.manager.startShard(1, SHARDS).then(
      () => 'resolved',
      (reason: unknown) => reason,
    );
    await until(() => allReady(first.manager, 1), 'the first process ready');

    // What another process does once an outage let this one's lease expire.
    const other = 'other-host:7:beef01';
    await redis().set(ownerKey(ns, 1), other, 'PX', 60_000);

    const error = await run;
    expect(error).toBeInstanceOf(ShardLeaseError);
    expect(error).toMatchObject({ kind: 'shardLease', shardId: 1, owner: other, conflict: 'takenOver' });
    await until(() => first.manager.status().length === 0, 'the shard shut down');
    expect(emulator.recorder.filter((record) => record.kind === 'close')).toHaveLength(1);
    expect(await redis().get(ownerKey(ns, 1))).toBe(other); // not deleted: it is not ours
  });

  it("writes no session over the new owner's once the shard was taken over (the store is fenced by the leases)", async () => {
    const emulator = await platform();
    const ns = namespace();
    const first = gatewayProcess(emulator, ns, { ttlMs: 600 });
    const run = first.manager.startShard(1, SHARDS).catch((reason: unknown) => reason);
    await until(() => allReady(first.manager, 1), 'the first process ready');
    const sessionKey = new RedisKeys(ns).session(1);
    await until(async () => (await redis().exists(sessionKey)) === 1, 'the session stored');

    // Another process took the shard over and identified a session of its own.
    const theirs = JSON.stringify({ sessionId: 'their-session', seq: 3, shardCount: SHARDS });
    await redis().set(ownerKey(ns, 1), 'other-host:7:beef02', 'PX', 60_000);
    await redis().set(sessionKey, theirs, 'PX', 60_000);

    expect(await run).toMatchObject({ kind: 'shardLease', conflict: 'takenOver' });
    await until(() => first.manager.status().length === 0, 'the shard shut down');
    expect(await redis().get(sessionKey)).toBe(theirs); // the stopped shard's last write was refused
    expect(first.warnings()).toEqual([expect.stringContaining('other-host:7:beef02')]);
  });

  it('keeps the shard running through a Redis outage on renewal, warning once, and renews after it', async () => {
    const emulator = await platform();
    const ns = namespace();
    const { connection, link } = await connectThroughLink();
    const first = gatewayProcess(emulator, ns, { ttlMs: 300, retry: { timeoutMs: 1_000 } }, connection);
    void first.manager.startShard(1, SHARDS).catch(() => undefined);
    await until(() => allReady(first.manager, 1), 'the shard ready');

    link.stall();
    await until(async () => (await redis().exists(ownerKey(ns, 1))) === 0, 'the lease expired');
    await until(() => first.warnings().length > 0, 'the warning');
    expect(first.warnings()).toEqual([expect.stringContaining('could not renew the lease of shard 1')]);
    expect(allReady(first.manager, 1)).toBe(true);

    link.resume();
    await until(async () => heldBy(await redis().get(ownerKey(ns, 1)), first.leases), 'the lease held again');
    expect(first.warnings()).toHaveLength(1);
    expect(allReady(first.manager, 1)).toBe(true);
  });

  it('cancels a wait for a held lease on shutdown, taking nothing', async () => {
    const emulator = await platform();
    const ns = namespace();
    await redis().set(ownerKey(ns, 2), 'busy-host:1:000001', 'PX', 60_000);
    const waiting = gatewayProcess(emulator, ns, { ttlMs: 1_000 });
    const run = waiting.manager
      .startShardRange({ from: 1, to: 2 }, SHARDS)
      .catch((reason: unknown) => reason);
    await until(() => waiting.warnings().length > 0, 'the wait');

    await waiting.manager.shutdownAll();
    expect(await run).toBeInstanceOf(ShutDownBeforeStartError);
    await until(async () => (await redis().exists(ownerKey(ns, 1))) === 0, 'shard 1 given back');
    expect(opened(emulator)).toBe(0);
  });

  it.each([99, 600_001, 1_500.5])('refuses a TTL of %s ms, naming ttlMs', (ttlMs) => {
    expect(() => new RedisShardLeases(redis(), { ...namespace(), ttlMs })).toThrow(ValidationError);
    expect(() => new RedisShardLeases(redis(), { ...namespace(), ttlMs })).toThrow(/ttlMs/);
  });
});
