/**
 * A Redis restart without persistence loses the identify queue's shared state; the queue must not
 * grant a turn inside a window because of it, nor spend the daily budget twice.
 * docs/redis-deployment.md, "Redis outages".
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisIdentifyQueue } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { RedisServer } from './support/redisServer.js';

const WINDOW_MS = 1_000;
const MARGIN_MS = 100;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ server: RedisServer; queue: RedisIdentifyQueue }> {
  const server = await RedisServer.start();
  cleanups.push(() => server.stop());
  const redis = new Redis(server.url, { retryStrategy: () => 50 });
  redis.on('error', () => undefined); // the restart makes connection errors the test expects
  cleanups.push(() => redis.disconnect());
  const queue = new RedisIdentifyQueue(redis, {
    appId: '102000000',
    logger: silentLogger(),
    retry: { attempts: 50, baseDelayMs: 50, maxDelayMs: 100, timeoutMs: 1_000 },
    limits: {
      total: 1_000,
      remaining: 10,
      resetAfterMs: 3_600_000,
      maxConcurrency: 1,
      windowMs: WINDOW_MS,
      marginMs: MARGIN_MS,
    },
  });
  return { server, queue };
}

describe('RedisIdentifyQueue after Redis restarts without its data', () => {
  it('grants no turn inside the window of the identify sent before the restart', async () => {
    const { server, queue } = await setUp();
    await queue.wait(0);
    const sentAt = Date.now();
    queue.identifySent(0);
    await server.restart(); // empty: the bucket's next-open time is gone
    await queue.wait(1); // same bucket (max_concurrency 1)
    const gapMs = Date.now() - sentAt;
    console.info(
      `identify after a Redis restart: ${gapMs} ms after the previous one (window ${WINDOW_MS} ms)`,
    );
    expect(gapMs).toBeGreaterThanOrEqual(WINDOW_MS + MARGIN_MS);
  });

  it('never gives back more session starts than were left before the restart', async () => {
    const { server, queue } = await setUp();
    await queue.wait(0);
    expect(await queue.remaining()).toBe(9);
    await server.restart();
    await queue.wait(0); // creates the state again, from what it last saw
    expect(await queue.remaining()).toBe(8);
  });
});
