import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import {
  RedisEventPublisher,
  RedisOperationError,
  connectRedis as connectPackageRedis,
} from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { appId, useRedisFixture } from './support/redisFixture.js';
import { unpublished } from './support/unpublished.js';
import { RedisServer } from './support/redisServer.js';
import { until } from './support/until.js';

const { redis, namespace, track } = useRedisFixture();

const message = (n: number, content = `#${n}`): DispatchPayload => ({
  op: 0,
  id: `AT_MESSAGE_CREATE:${n}`,
  s: n,
  t: 'AT_MESSAGE_CREATE',
  d: { content },
});

const keysOf = (prefix: string) => ({
  events: `${prefix}:{${appId}}:events`,
  dead: `${prefix}:{${appId}}:events:dead`,
  seen: (id: string) => `${prefix}:{${appId}}:events:seen:${id}`,
});

/** The fields of each dead letter, as an object. */
async function deadLetters(connection: Redis, key: string): Promise<Record<string, string>[]> {
  const entries = await connection.xrange(key, '-', '+');
  return entries.map(([, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] ?? ''] = fields[i + 1] ?? '';
    return record;
  });
}

describe('RedisEventPublisher with events Redis refuses', () => {
  it('parks an event whose command Redis refuses (stream key of the wrong type) in the dead-letter stream, reports it and moves the watermark on', async () => {
    const ns = namespace();
    const keys = keysOf(ns.prefix);
    const publisher = new RedisEventPublisher(redis(), ns);
    await redis().set(keys.events, 'not a stream');
    const retries: RedisOperationError[] = [];

    const error = await unpublished(
      publisher.publish(message(1), 0, { shardCount: 4, onRetry: (retry) => retries.push(retry) }),
    );

    expect(retries).toEqual([]); // refused for good: never tried twice
    expect(error.reason).toBe('refused');
    expect(error.payload).toEqual(message(1));
    expect(error.shardId).toBe(0);
    expect(error.kind).toBe('gateway');
    expect(error.message).toMatch(
      /^shard 0: Redis: could not publish AT_MESSAGE_CREATE \(event AT_MESSAGE_CREATE:1\): WRONGTYPE .*; parked in test-\w+:\{102000000\}:events:dead as \d+-\d+$/,
    );
    expect(publisher.publishedUpTo(0, 1)).toBe(1);
    await publisher.whenPublished(0, 1);
    expect(publisher.backlog).toBe(0);
    const letters = await deadLetters(redis(), keys.dead);
    expect(letters).toEqual([
      {
        reason: 'refused',
        error: expect.stringMatching(/^WRONGTYPE /),
        bytes: expect.stringMatching(/^\d+$/),
        type: 'AT_MESSAGE_CREATE',
        id: 'AT_MESSAGE_CREATE:1',
        seq: '1',
        shard: '0',
        shards: '4',
        payload: JSON.stringify(message(1)),
      },
    ]);
    expect((await redis().xrange(keys.dead, '-', '+'))[0]?.[0]).toBe(error.deadLetterId);
  });

  it('leaves no dedupe marker for a refused event, so it is published once the cause is fixed', async () => {
    const ns = namespace();
    const keys = keysOf(ns.prefix);
    const publisher = new RedisEventPublisher(redis(), ns);
    await redis().set(keys.events, 'not a stream');
    await unpublished(publisher.publish(message(2), 0));
    expect(await redis().exists(keys.seen('AT_MESSAGE_CREATE:2'))).toBe(0);

    await redis().del(keys.events);
    expect(await publisher.publish(message(2), 0)).toBe(true);
    expect(await redis().xlen(keys.events)).toBe(1);
  });

  it('parks an entry over maxEntryBytes without sending it, its payload only in the reported error', async () => {
    const ns = namespace();
    const keys = keysOf(ns.prefix);
    const publisher = new RedisEventPublisher(redis(), { ...ns, maxEntryBytes: 1_024 });
    const large = message(3, 'x'.repeat(2_000));

    const error = await unpublished(publisher.publish(large, 1));

    expect(error.reason).toBe('oversized');
    expect(error.payload).toEqual(large);
    expect(error.message).toMatch(
      /^shard 1: Redis: could not publish AT_MESSAGE_CREATE \(event AT_MESSAGE_CREATE:3\): the entry is \d+ bytes, over maxEntryBytes \(1024\); parked in \S+ as \d+-\d+ without its payload$/,
    );
    // Never sent: the publish script would have set the event's marker and appended it.
    expect(await redis().exists(keys.events, keys.seen('AT_MESSAGE_CREATE:3'))).toBe(0);
    expect(publisher.publishedUpTo(1, 3)).toBe(3);
    expect(await deadLetters(redis(), keys.dead)).toEqual([
      {
        reason: 'oversized',
        error: expect.stringMatching(/^the entry is \d+ bytes, over maxEntryBytes \(1024\)$/),
        bytes: expect.stringMatching(/^\d+$/),
        type: 'AT_MESSAGE_CREATE',
        id: 'AT_MESSAGE_CREATE:3',
        seq: '3',
        shard: '1',
        shards: '',
      },
    ]);
    // Events within the bound still go through.
    expect(await publisher.publish(message(4), 1)).toBe(true);
  });

  it('parks an entry Redis refuses as too long (proto-max-bulk-len) without its payload, and publishes the next one', async () => {
    const server = await RedisServer.start();
    track(() => server.stop());
    const connection = await connectPackageRedis(server.url, {
      logger: silentLogger(),
      retryStrategy: () => 20,
    });
    track(() => connection.disconnect());
    await connection.config('SET', 'proto-max-bulk-len', '1mb'); // the least Redis accepts
    const ns = namespace();
    const keys = keysOf(ns.prefix);
    const publisher = new RedisEventPublisher(connection, {
      ...ns,
      maxEntryBytes: 4 * 1024 * 1024,
      retry: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 2_000 },
    });
    const large = message(5, 'x'.repeat(1_200_000));

    const error = await unpublished(publisher.publish(large, 0));

    expect(error.reason).toBe('refused');
    expect(error.payload).toEqual(large);
    expect(error.message).toMatch(
      /: ERR Protocol error: invalid bulk length; parked in \S+ as \d+-\d+ without its payload$/,
    );
    expect(publisher.publishedUpTo(0, 5)).toBe(5);
    // Redis closes the connection after a protocol error; the client reconnects and goes on.
    expect(await publisher.publish(message(6), 0)).toBe(true);
    const letters = await deadLetters(connection, keys.dead);
    expect(letters).toEqual([
      expect.objectContaining({
        reason: 'refused',
        error: 'ERR Protocol error: invalid bulk length',
        seq: '5',
      }),
    ]);
    expect(letters[0]).not.toHaveProperty('payload');
    expect(await connection.xlen(keys.events)).toBe(1);
  });

  it('retries a publish answered BUSY (a long script) and appends it once the script is gone', async () => {
    const server = await RedisServer.start();
    track(() => server.stop());
    const connection = await connectPackageRedis(server.url, { logger: silentLogger() });
    const scripts = await connectPackageRedis(server.url, { logger: silentLogger() });
    const admin = await connectPackageRedis(server.url, { logger: silentLogger() });
    track(
      () => connection.disconnect(),
      () => scripts.disconnect(),
      () => admin.disconnect(),
    );
    await admin.config('SET', 'busy-reply-threshold', '20');
    const ns = namespace();
    const publisher = new RedisEventPublisher(connection, {
      ...ns,
      retry: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 5_000 },
    });
    await publisher.publish(message(1), 0); // loads the publish script before the server is busy
    // Spins for up to 10 s, or until SCRIPT KILL.
    const spinning = scripts
      .eval(
        "local stop = tonumber(redis.call('TIME')[1]) + 10 repeat until tonumber(redis.call('TIME')[1]) >= stop",
        0,
      )
      .catch((error: unknown) => error);
    const busy = async (): Promise<boolean> =>
      String(await admin.exists('probe').catch((error: unknown) => error)).includes('BUSY');
    // The script runs on its own connection: wait until it has the server.
    while (!(await busy())) continue;
    const retries: RedisOperationError[] = [];
    const publishing = publisher.publish(message(2), 0, { onRetry: (retry) => retries.push(retry) });
    await until(() => retries.length >= 2, 'two tries answered BUSY');
    expect(retries.slice(0, 2).map((retry) => retry.message)).toEqual([
      expect.stringMatching(/: BUSY Redis is busy running a script/),
      expect.stringMatching(/: BUSY Redis is busy running a script/),
    ]);
    expect(publisher.publishedUpTo(0, 2)).toBe(1);

    await admin.script('KILL');
    expect(await publishing).toBe(true);
    expect(String(await spinning)).toMatch(/killed/i);
    expect(await connection.xlen(keysOf(ns.prefix).events)).toBe(2);
    expect(await connection.exists(keysOf(ns.prefix).dead)).toBe(0);
  });

  it('reports an event as unreachable, with its payload, once a finite retry.attempts runs out while Redis is away', async () => {
    const server = await RedisServer.start();
    track(() => server.stop());
    const connection = await connectPackageRedis(server.url, {
      logger: silentLogger(),
      retryStrategy: () => 50,
    });
    track(() => connection.disconnect());
    const publisher = new RedisEventPublisher(connection, {
      ...namespace(),
      retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 500 },
    });
    await server.stop();
    await until(() => connection.status !== 'ready', 'the client noticing');

    const error = await unpublished(publisher.publish(message(8), 2));
    expect(error.reason).toBe('unreachable');
    expect(error.payload).toEqual(message(8));
    expect(error.deadLetterId).toBeUndefined();
    expect(error.message).toMatch(
      /^shard 2: Redis: could not publish AT_MESSAGE_CREATE \(event AT_MESSAGE_CREATE:8\): .+; retries used up; this one is dropped$/,
    );
    expect(publisher.publishedUpTo(2, 8)).toBe(8);
  });

  it('retries a write Redis refuses for lack of memory (OOM) until memory is freed, holding the watermark meanwhile', async () => {
    const server = await RedisServer.start();
    track(() => server.stop());
    const connection = await connectPackageRedis(server.url, { logger: silentLogger() });
    track(() => connection.disconnect());
    const ns = namespace();
    const publisher = new RedisEventPublisher(connection, {
      ...ns,
      retry: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 2_000 },
    });
    await connection.config('SET', 'maxmemory', '1');
    const retries: RedisOperationError[] = [];
    const publishing = publisher.publish(message(7), 0, { onRetry: (retry) => retries.push(retry) });
    await until(() => retries.length >= 3, 'three refused tries');
    expect(retries[0]?.message).toMatch(/: OOM command not allowed/);
    expect(publisher.publishedUpTo(0, 7)).toBe(6);

    await connection.config('SET', 'maxmemory', '0');
    expect(await publishing).toBe(true);
    expect(publisher.publishedUpTo(0, 7)).toBe(7);
    expect(await connection.xlen(keysOf(ns.prefix).dead)).toBe(0);
  });
});
