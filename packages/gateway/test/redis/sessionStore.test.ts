import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/http';
import { RedisOperationError, RedisSessionStore } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { settle } from './support/networkClock.js';
import { connectRedis, deleteKeys, uniquePrefix } from './support/redis.js';
import { freePort } from './support/redisServer.js';

let redis: Redis;
const prefix = uniquePrefix();
const appId = '102000000';
const sessionKey = (shardId: number): string => `${prefix}:{${appId}}:session:${shardId}`;

beforeAll(async () => {
  redis = await connectRedis();
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('RedisSessionStore', () => {
  it('stores, reads and deletes a session under the namespaced key, with a TTL', async () => {
    const store = new RedisSessionStore(redis, { appId, prefix, ttlMs: 60_000, logger: silentLogger() });
    expect(await store.get(3)).toBeUndefined();

    await store.set(3, { sessionId: 'session-a', seq: 42, shardCount: 6 });
    expect(await store.get(3)).toEqual({ sessionId: 'session-a', seq: 42, shardCount: 6 });
    const ttl = await redis.pttl(sessionKey(3));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // A second store on another connection (another process) sees the same session.
    const otherConnection = redis.duplicate();
    const other = new RedisSessionStore(otherConnection, { appId, prefix, logger: silentLogger() });
    expect(await other.get(3)).toEqual({ sessionId: 'session-a', seq: 42, shardCount: 6 });

    await store.delete(3);
    expect(await other.get(3)).toBeUndefined();
    await store.close();
    otherConnection.disconnect();
  });

  it('keeps the TTL of its sessions fresh while the process runs, and stops after close()', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = new RedisSessionStore(redis, { appId, prefix, ttlMs: 60_000, logger: silentLogger() });
    await store.set(1, { sessionId: 'quiet', seq: 7, shardCount: 2 });
    await redis.pexpire(sessionKey(1), 5_000); // as if most of the TTL had passed without a write

    await vi.advanceTimersByTimeAsync(20_000);
    await settle([redis]);
    expect(await redis.pttl(sessionKey(1))).toBeGreaterThan(50_000);

    await store.close();
    await redis.pexpire(sessionKey(1), 5_000);
    await vi.advanceTimersByTimeAsync(40_000);
    await settle([redis]);
    expect(await redis.pttl(sessionKey(1))).toBeLessThanOrEqual(5_000);
  });

  it('writes a session again when its key vanished (Redis lost its data) while the process runs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = new RedisSessionStore(redis, { appId, prefix, ttlMs: 60_000, logger: silentLogger() });
    await store.set(5, { sessionId: 'kept', seq: 12, shardCount: 8 });
    await redis.del(sessionKey(5));

    await vi.advanceTimersByTimeAsync(20_000);
    await settle([redis]);
    await vi.advanceTimersByTimeAsync(0);
    await settle([redis]);
    expect(await store.get(5)).toEqual({ sessionId: 'kept', seq: 12, shardCount: 8 });
    expect(await redis.pttl(sessionKey(5))).toBeGreaterThan(50_000);
    await store.close();
  });

  it('refuses a stored value that is not a session, naming the shard', async () => {
    const store = new RedisSessionStore(redis, { appId, prefix, logger: silentLogger() });
    await redis.set(sessionKey(4), JSON.stringify({ sessionId: 'x', seq: -1, shardCount: 2 }));
    await expect(store.get(4)).rejects.toThrow(ValidationError);
    await expect(store.get(4)).rejects.toThrow('session of shard 4 has an invalid seq (-1)');
    await redis.set(sessionKey(4), 'not json');
    await expect(store.get(4)).rejects.toThrow('session of shard 4 is not JSON');
  });

  it('refuses a TTL under one second and an AppID with braces', () => {
    expect(() => new RedisSessionStore(redis, { appId, ttlMs: 10 })).toThrow(
      'ttlMs must be an integer of at least 1000 ms',
    );
    expect(() => new RedisSessionStore(redis, { appId: 'a{b}' })).toThrow(ValidationError);
  });

  it('retries while Redis is unreachable, then fails with an error that says what could not be done', async () => {
    const { Redis: RedisClient } = await import('ioredis');
    const unreachable = new RedisClient(await freePort(), '127.0.0.1', {
      lazyConnect: true,
      retryStrategy: () => 50,
    });
    unreachable.on('error', () => undefined);
    const store = new RedisSessionStore(unreachable, {
      appId,
      prefix,
      retry: { attempts: 3, baseDelayMs: 10, timeoutMs: 200 },
      logger: silentLogger(),
    });
    const failure = store.get(2);
    await expect(failure).rejects.toThrow(RedisOperationError);
    await expect(failure).rejects.toThrow(/^shard 2: Redis: could not read the session of shard 2: /);
    unreachable.disconnect();
  });
});
