import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/**
 * The URL of the test Redis server (see `globalSetup.ts`). Throws, failing the test with
 * instructions, when there is none.
 */
export function redisUrl(): string {
  const url = inject('redisUrl');
  if (url === '' || url === undefined) {
    throw new Error(
      `no Redis server for the Redis tests: ${inject('redisProblem') || 'the Redis global setup did not run (add packages/gateway/test/redis/globalSetup.ts to globalSetup in vitest.config.ts)'}`,
    );
  }
  return url;
}

/** A connected client for the test Redis server. */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis(redisUrl(), { lazyConnect: true });
  await redis.connect();
  return redis;
}

/** A key prefix no other test uses, so test files can run side by side on one server. */
export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key whose name starts with `prefix`. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Every key whose name starts with `prefix`, sorted. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}
