/**
 * The leases of one bot's processes, taken directly from `RedisShardLeases` (no manager): a waiter
 * notices a release promptly and names what happened, and processes of different shard counts are
 * refused. docs/redis-deployment.md, "One process per shard" and "Changing the shard count".
 */
import { describe, expect, it, vi } from 'vitest';
import { RedisShardLeases, ShardCountConflictError, type RedisShardLeasesOptions } from '@bot/gateway/redis';
import type { Redis } from 'ioredis';
import { acquireAllLeases } from '../../src/manager/ShardLeases.js';
import { capturingLogger } from '../support/harness.js';
import { ownerKey } from './support/leaseProcesses.js';
import { useRedisFixture, type RedisNamespace } from './support/redisFixture.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();
const { redis, namespace } = fixture;

/** A "process": its leases and the lines it logged. */
function leasesOf(
  ns: RedisNamespace,
  options: Partial<RedisShardLeasesOptions> = {},
  connection: Redis = redis(),
) {
  const { logger, lines } = capturingLogger();
  const leases = new RedisShardLeases(connection, { ...ns, logger, ...options });
  return { leases, lines };
}

const never = (): AbortSignal => new AbortController().signal;

describe('RedisShardLeases: a waiter and a release', () => {
  it('takes a lease within about a second of its holder releasing it, long before the TTL', async () => {
    const ns = namespace();
    const holder = leasesOf(ns, { ttlMs: 60_000, owner: 'holder' });
    const held = await holder.leases.acquire(1, never(), 4);
    fixture.track(() => held.release());

    const waiter = leasesOf(ns, { ttlMs: 60_000, owner: 'waiter' });
    let takenAt: number | undefined;
    const taking = waiter.leases.acquire(1, never(), 4).then((lease) => {
      takenAt = Date.now();
      return lease;
    });
    await until(() => waiter.lines.some((line) => line.includes('holds its lease')), 'the waiter waiting');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const releasedAt = Date.now();
    await held.release();
    expect(await redis().exists(ownerKey(ns, 1))).toBe(0);

    const lease = await taking;
    fixture.track(() => lease.release());
    expect(takenAt! - releasedAt).toBeLessThan(1_000);
    expect((await redis().get(ownerKey(ns, 1)))?.startsWith('waiter#')).toBe(true);
    // Names the previous holder, not itself, and says it was released.
    const took = waiter.lines.filter((line) => line.includes('took its lease'));
    expect(took).toEqual([
      expect.stringMatching(/shard 1: took its lease after process "holder#[0-9a-f]{8}" released it/),
    ]);
  });

  it('says the previous holder let its lease expire when it did', async () => {
    const ns = namespace();
    await redis().set(ownerKey(ns, 2), 'killed-host:1:dead00#00000000', 'PX', 600);
    const waiter = leasesOf(ns, { ttlMs: 1_000, owner: 'waiter' });
    const lease = await waiter.leases.acquire(2, never(), 4);
    fixture.track(() => lease.release());
    expect(waiter.lines.filter((line) => line.includes('took its lease'))).toEqual([
      expect.stringContaining('after the lease of process "killed-host:1:dead00#00000000" expired'),
    ]);
  });
});

describe('RedisShardLeases: one shard count per bot', () => {
  it('refuses a lease of another shard count while a lease of the first count lives, naming both', async () => {
    const ns = namespace();
    const a = leasesOf(ns, { ttlMs: 60_000, owner: 'fleet-a' });
    const held = await a.leases.acquire(0, never(), 8);
    fixture.track(() => held.release());

    const b = leasesOf(ns, { ttlMs: 60_000, owner: 'fleet-b' });
    const error: unknown = await b.leases.acquire(4, never(), 10).then(
      () => 'taken',
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ShardCountConflictError);
    expect(error).toMatchObject({
      kind: 'shardCountConflict',
      shardId: 4,
      shardCount: 10,
      otherShardCount: 8,
      otherShardId: 0,
      owner: expect.stringMatching(/^fleet-a#[0-9a-f]{8}$/),
    });
    const message = (error as Error).message;
    expect(message).toContain('shard 4 of 10 was not started');
    expect(message).toContain('shard 0 of 8');
    expect(message).toContain('stop every process running 8 shards');
    expect(message).toContain('key prefix');
    expect(await redis().exists(ownerKey(ns, 4))).toBe(0); // nothing taken
  });

  it("refuses all of a start call's shards of the other count, as the manager takes them, and keeps none", async () => {
    const ns = namespace();
    const a = leasesOf(ns, { ttlMs: 60_000 });
    const held = await acquireAllLeases(a.leases, [0, 1, 2, 3], never(), 8);
    fixture.track(() => Promise.all([...held.values()].map((lease) => lease.release())));

    const b = leasesOf(ns, { ttlMs: 60_000 });
    await expect(acquireAllLeases(b.leases, [4, 5, 6, 7], never(), 10)).rejects.toThrow(
      /shard [4-7] of 10 was not started: process ".+" runs shard [0-3] of 8/,
    );
    for (const id of [4, 5, 6, 7]) expect(await redis().exists(ownerKey(ns, id))).toBe(0);
    // The same count is accepted beside it.
    const rest = await acquireAllLeases(b.leases, [4, 5, 6, 7], never(), 8);
    fixture.track(() => Promise.all([...rest.values()].map((lease) => lease.release())));
  });

  it('accepts the new count once every lease of the old one was released (re-sharding)', async () => {
    const ns = namespace();
    const old = leasesOf(ns, { ttlMs: 60_000 });
    const first = await old.leases.acquire(0, never(), 8);
    const second = await old.leases.acquire(5, never(), 8);
    await first.release();
    await second.release();

    const next = leasesOf(ns, { ttlMs: 60_000 });
    const lease = await next.leases.acquire(4, never(), 10);
    fixture.track(() => lease.release());
    // And the old count is refused now.
    await expect(old.leases.acquire(1, never(), 8)).rejects.toBeInstanceOf(ShardCountConflictError);
  });

  it('is not blocked by the expired lease of a killed process of the old count', async () => {
    const ns = namespace();
    const { connection } = await fixture.connectThroughLink();
    const killed = leasesOf(ns, { ttlMs: 300 }, connection);
    await killed.leases.acquire(0, never(), 8);
    // Killed: its connection gone, it neither renews nor releases; the lease runs out.
    connection.disconnect();
    await until(async () => (await redis().exists(ownerKey(ns, 0))) === 0, 'the lease expired');

    const next = leasesOf(ns, { ttlMs: 60_000 });
    const taken = await next.leases.acquire(0, never(), 10);
    fixture.track(() => taken.release());
    expect((await redis().get(ownerKey(ns, 0)))?.startsWith(`${next.leases.owner}#`)).toBe(true);
  });

  it('a running process reports a live lease of another count on renewal', async () => {
    const ns = namespace();
    const a = leasesOf(ns, { ttlMs: 300, owner: 'fleet-a' });
    const held = await a.leases.acquire(0, never(), 8);
    fixture.track(() => held.release());
    // A process that bypassed the start check (an older version): its lease is recorded by hand.
    const b = leasesOf(ns, { ttlMs: 60_000, owner: 'fleet-b' });
    const other = await b.leases.acquire(7, never());
    fixture.track(() => other.release());
    await redis().zadd(`${ns.prefix}:{${ns.appId}}:shard:counts:10`, Date.now() + 60_000, '7');
    await redis().sadd(`${ns.prefix}:{${ns.appId}}:shard:counts`, '10');

    await until(
      () => a.lines.some((line) => line.startsWith('ERROR') && line.includes('of 10')),
      'the report',
    );
    const reports = a.lines.filter((line) => line.startsWith('ERROR'));
    expect(reports[0]).toContain('shard 0 of 8');
    expect(reports[0]).toContain('shard 7 of 10');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(a.lines.filter((line) => line.startsWith('ERROR'))).toHaveLength(1); // once, not per renewal
  });
});

describe('RedisShardLeases: shards of the count nobody runs', () => {
  it('warns once of shards without a process after two TTLs, and says when the gap closed', async () => {
    const ns = namespace();
    const a = leasesOf(ns, { ttlMs: 500 });
    for (const id of [0, 1]) {
      const lease = await a.leases.acquire(id, never(), 4);
      fixture.track(() => lease.release());
    }
    await until(() => a.lines.some((line) => line.startsWith('WARN')), 'the gap warning');
    expect(a.lines.filter((line) => line.startsWith('WARN'))).toEqual([
      expect.stringContaining('shards 2–3 of 4 have had no process for 1000 ms or more'),
    ]);

    const b = leasesOf(ns, { ttlMs: 500 });
    for (const id of [2, 3]) {
      const lease = await b.leases.acquire(id, never(), 4);
      fixture.track(() => lease.release());
    }
    await until(
      () => a.lines.some((line) => line.includes('every shard of 4 has a process again')),
      'the gap closed',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(a.lines.filter((line) => line.startsWith('WARN'))).toHaveLength(1);
    expect(b.lines.filter((line) => line.startsWith('WARN'))).toEqual([]);
  });

  it('counts a shard whose lease was taken without a count as run (a process of an older version)', async () => {
    const ns = namespace();
    const a = leasesOf(ns, { ttlMs: 500 });
    for (const id of [0, 1]) {
      const lease = await a.leases.acquire(id, never(), 4);
      fixture.track(() => lease.release());
    }
    const older = leasesOf(ns, { ttlMs: 500 });
    for (const id of [2, 3]) {
      const lease = await older.leases.acquire(id, never());
      fixture.track(() => lease.release());
    }
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(a.lines.filter((line) => line.startsWith('WARN'))).toEqual([]);
  });

  it('stops looking once the last lease of a known count is released, not a TTL later', async () => {
    const ns = namespace();
    const a = leasesOf(ns, { ttlMs: 60_000 });
    const started = vi.spyOn(globalThis, 'setInterval');
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    try {
      const held = await acquireAllLeases(a.leases, [0, 1], never(), 2);
      // The watch looks once per TTL; the renewals run more often.
      const at = started.mock.calls.findIndex(([, delay]) => delay === 60_000);
      const watch = started.mock.results[at]?.value as unknown;
      expect(watch).toBeDefined();
      await held.get(0)!.release();
      expect(cleared).not.toHaveBeenCalledWith(watch);
      await held.get(1)!.release();
      expect(cleared).toHaveBeenCalledWith(watch);
    } finally {
      started.mockRestore();
      cleared.mockRestore();
    }
  });
});
