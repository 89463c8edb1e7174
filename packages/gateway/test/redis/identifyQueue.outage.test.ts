/**
 * A shard that must identify while Redis is down (its session invalidated during the outage):
 * its turn waits for the connection, within the queue's deadline, rather than failing each try at
 * once because the client is reconnecting; it never identifies without a turn from Redis.
 * docs/redis-deployment.md, "Redis outages".
 */
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '@bot/core';
import { connectRedis, RedisIdentifyQueue, RedisOperationError, type RetryPolicy } from '@bot/gateway/redis';
import { capturingLogger, silentLogger } from '../support/harness.js';
import { RedisServer } from './support/redisServer.js';
import { until } from './support/until.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server of its own, a client as `connectRedis` makes it (no offline queue), a started queue. */
async function setUp(retry: RetryPolicy) {
  const server = await RedisServer.start();
  cleanups.push(() => server.stop());
  const redis = await connectRedis(server.url, { retryStrategy: () => 50, logger: silentLogger() });
  cleanups.push(() => redis.disconnect());
  const { logger, lines } = capturingLogger();
  const queue = new RedisIdentifyQueue(redis, {
    appId: '102000000',
    logger,
    retry,
    limits: {
      total: 1_000,
      remaining: 1_000,
      resetAfterMs: 3_600_000,
      maxConcurrency: 1,
      windowMs: 200,
      marginMs: 50,
    },
  });
  await queue.wait(0);
  return { server, redis, queue, lines };
}

async function stopRedis(server: RedisServer, redis: Redis): Promise<void> {
  await server.stop();
  await until(() => redis.status !== 'ready', 'the client reconnecting');
}

/** Settles `promise` into a record the test reads without awaiting it. */
function watch(promise: Promise<void>): { settled: boolean; error: unknown } {
  const state: { settled: boolean; error: unknown } = { settled: false, error: undefined };
  promise.then(
    () => (state.settled = true),
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

const notConnected = (lines: string[]): string[] => lines.filter((line) => line.includes('not connected'));

describe('RedisIdentifyQueue during a Redis outage', () => {
  it('waits for the connection and grants the turn once Redis is back, within the deadline, warning once', async () => {
    // 3 tries of 2 s: a wait rides out an outage of about 6 s.
    const { server, redis, queue, lines } = await setUp({ attempts: 3, baseDelayMs: 50, timeoutMs: 2_000 });
    await stopRedis(server, redis);

    const askedAt = performance.now();
    const turn = queue.wait(1);
    const state = watch(turn);
    await sleep(1_500);
    expect(state).toEqual({ settled: false, error: undefined });

    await server.startAgain();
    await turn;
    const tookMs = performance.now() - askedAt;
    expect(tookMs).toBeGreaterThan(1_500);
    expect(tookMs).toBeLessThan(6_000);
    expect(notConnected(lines)).toEqual([expect.stringContaining('identify turns wait for the connection')]);
  });

  it('rejects with a RedisOperationError once the deadline passes with Redis still down', async () => {
    const { server, redis, queue } = await setUp({
      attempts: 2,
      baseDelayMs: 50,
      maxDelayMs: 50,
      timeoutMs: 500,
    });
    await stopRedis(server, redis);

    const askedAt = performance.now();
    const error: unknown = await queue.wait(1).then(
      () => 'granted',
      (reason: unknown) => reason,
    );
    const tookMs = performance.now() - askedAt;

    expect(error).toBeInstanceOf(RedisOperationError);
    expect((error as Error).message).toContain('not connected (the client is reconnecting)');
    // Two tries of 500 ms each waited for the connection.
    expect(tookMs).toBeGreaterThanOrEqual(1_000);
    expect(tookMs).toBeLessThan(2_500);
  });

  it('ends a wait for the connection at once on abort, leaving no listener on the client', async () => {
    const { server, redis, queue } = await setUp({ attempts: 3, baseDelayMs: 50, timeoutMs: 5_000 });
    const listeners = redis.listenerCount('ready');
    await stopRedis(server, redis);

    const abort = new AbortController();
    const turn = watch(queue.wait(1, abort.signal));
    await sleep(300);
    expect(turn.settled).toBe(false);
    abort.abort(new Error('shard stopped'));
    await until(() => turn.settled, 'the wait ended');
    expect(turn.error).toEqual(new Error('shard stopped'));
    await until(() => redis.listenerCount('ready') === listeners, 'the connection wait gone');
  });
});
