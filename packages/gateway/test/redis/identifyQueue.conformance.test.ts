import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { runIdentifyQueueConformance } from '@bot/gateway/testing';
import { RedisIdentifyQueue } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { networkSettlingTimers } from './support/networkClock.js';
import { connectRedis, deleteKeys, uniquePrefix } from './support/redis.js';

let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = await connectRedis();
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
});

runIdentifyQueueConformance(
  { describe, it, afterEach, vi: networkSettlingTimers(() => [redis]) },
  {
    create: (limits) => {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      // A long lease keeps renewals rare while the suite jumps the clock by a day.
      return new RedisIdentifyQueue(redis, {
        appId: '102000000',
        prefix,
        limits,
        leaseMs: 600_000,
        // The suite jumps a fake clock by days while the server's runs in real time: a fresh
        // measurement of the offset would take the jump back.
        clockSyncIntervalMs: 30 * 86_400_000,
        logger: silentLogger(),
      });
    },
  },
  'RedisIdentifyQueue conformance',
);
