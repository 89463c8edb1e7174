import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisIdentifyQueue } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { FixtureProcess } from './support/processes.js';
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const LEASE_MS = 3_000;
const WINDOW_MS = 500;
const prefix = uniquePrefix();
const state = `${prefix}:{102000000}:identify`;
let redis: Redis;
const processes: FixtureProcess[] = [];

beforeAll(async () => {
  redis = await connectRedis();
});

afterAll(async () => {
  await Promise.all(processes.map((child) => child.stop()));
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('RedisIdentifyQueue leases', () => {
  it('lets the next waiter proceed once the lease of a waiter whose process died has run out', async () => {
    const dead = new FixtureProcess('identifyWaiter.ts', [
      redisUrl(),
      prefix,
      String(LEASE_MS),
      String(WINDOW_MS),
    ]);
    processes.push(dead);
    await dead.waitFor('identified');
    // Its wait for shard 2 holds the head of the line (the window it opened keeps it waiting).
    await until(async () => (await redis.zcard(`${state}:leases`)) === 1, 'the waiter in line', {
      timeoutMs: 30_000,
      everyMs: 25,
    });
    const [ticket = ''] = await redis.zrange(`${state}:queue:0`, 0, 0);
    await dead.crash();
    // Its last renewal decides when the line may move on; nothing renews it any more.
    const leaseExpiry = Number(await redis.zscore(`${state}:leases`, ticket));

    const survivor = new RedisIdentifyQueue(redis, {
      appId: '102000000',
      prefix,
      limits: {
        maxConcurrency: 1,
        total: 100,
        remaining: 100,
        resetAfterMs: 86_400_000,
        windowMs: WINDOW_MS,
      },
      leaseMs: LEASE_MS,
      logger: silentLogger(),
    });
    await survivor.wait(4);
    const grantedAt = Date.now();

    // Not before the dead waiter's lease ran out (the bucket's window had opened long before),
    // but soon after: the lease, not some other timeout, held the line.
    expect(grantedAt).toBeGreaterThanOrEqual(leaseExpiry - 50);
    expect(grantedAt).toBeLessThan(leaseExpiry + 10_000);
    // … and the dead waiter is out of line, without having spent a session start.
    expect(await redis.zscore(`${state}:leases`, ticket)).toBeNull();
    expect(await redis.zcard(`${state}:queue:0`)).toBe(0);
    expect(await survivor.remaining()).toBe(98);
  });
});
