import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventConsumer, RedisEventPublisher, RedisOperationError } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from './support/redis.js';
import { RedisServer } from './support/redisServer.js';
import { StallingLink } from './support/StallingLink.js';
import { until } from './support/until.js';
import { seqEvent as message } from './support/publishers.js';

let redis: Redis;
const prefixes: string[] = [];
const appId = '102000000';

function namespace(): { appId: string; prefix: string; logger: ReturnType<typeof silentLogger> } {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return { appId, prefix, logger: silentLogger() };
}

beforeAll(async () => {
  redis = await connectRedis();
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('RedisEventPublisher and RedisEventConsumer', () => {
  it('carries dispatches with their shard id and count to a worker and acknowledges them after the sink resolves', async () => {
    const ns = namespace();
    const publisher = new RedisEventPublisher(redis, ns);
    const consumer = new RedisEventConsumer(redis, { ...ns, consumer: 'worker-a', blockMs: 200 });
    const received: [DispatchPayload, number | undefined, { shardCount?: number } | undefined][] = [];
    const running = consumer.start(async (payload, shardId, meta) => {
      received.push([payload, shardId, meta]);
    });
    expect(await publisher.publish(message(1), 3, { shardCount: 8 })).toBe(true);
    expect(
      await publisher.publish({
        op: 0,
        id: 'GROUP_AT_MESSAGE_CREATE:9',
        t: 'GROUP_AT_MESSAGE_CREATE',
        d: {},
      }),
    ).toBe(true);
    await until(() => received.length === 2);
    await consumer.stop();
    await running;

    expect(received).toEqual([
      [message(1), 3, { shardCount: 8 }],
      [{ op: 0, id: 'GROUP_AT_MESSAGE_CREATE:9', t: 'GROUP_AT_MESSAGE_CREATE', d: {} }, undefined, {}],
    ]);
    const pending = (await redis.xpending(`${ns.prefix}:{${appId}}:events`, 'workers')) as [
      number,
      ...unknown[],
    ];
    expect(pending[0]).toBe(0);
  });

  it('drops a second publish of one event id within the dedupe window', async () => {
    const ns = namespace();
    const publisher = new RedisEventPublisher(redis, ns);
    expect(await publisher.publish(message(7), 0)).toBe(true);
    expect(await publisher.publish(message(7), 0)).toBe(false);
    expect(await publisher.publish({ op: 0, t: 'READY', d: {} }, 0)).toBe(true);
    expect(await publisher.publish({ op: 0, t: 'READY', d: {} }, 0)).toBe(true); // no id: nothing to dedupe by
    expect(await redis.xlen(`${ns.prefix}:{${appId}}:events`)).toBe(3);
  });

  it('appends a publish retried after a timeout once, whether or not the event has an id', async () => {
    const ns = namespace();
    const link = await StallingLink.open(Number(new URL(redisUrl()).port));
    const { Redis: RedisClient } = await import('ioredis');
    const connection = new RedisClient(link.url);
    connection.on('error', () => undefined);
    try {
      const publisher = new RedisEventPublisher(connection, {
        ...ns,
        retry: { baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 150 },
      });
      await publisher.publish(message(1), 0); // loads the script while the link is healthy
      link.stall();
      let retries = 0;
      const onRetry = (): void => void retries++;
      const withId = publisher.publish(message(2), 0, { onRetry });
      const withoutId = publisher.publish({ op: 0, s: 3, t: 'RESUMED', d: '' }, 0, { onRetry });
      await until(() => retries >= 4); // both timed out at least twice: several tries of each on their way
      link.resume();
      expect(await withId).toBe(true);
      expect(await withoutId).toBe(true);
      const entries = await redis.xrange(`${ns.prefix}:{${appId}}:events`, '-', '+');
      const events = entries.map(
        ([, fields]) => (JSON.parse(fields[fields.indexOf('payload') + 1] ?? '{}') as DispatchPayload).t,
      );
      expect(events).toEqual(['AT_MESSAGE_CREATE', 'AT_MESSAGE_CREATE', 'RESUMED']);
    } finally {
      connection.disconnect();
      await link.close();
    }
  });

  it('delivers entries left unacknowledged by a dead worker: its own on restart, and to others after claimIdleMs', async () => {
    const ns = namespace();
    const stream = `${ns.prefix}:{${appId}}:events`;
    const publisher = new RedisEventPublisher(redis, ns);
    await redis.xgroup('CREATE', stream, 'workers', '0', 'MKSTREAM');
    for (let n = 0; n < 6; n++) await publisher.publish(message(n), 0);
    // Two workers read three entries each and die before acknowledging.
    await redis.xreadgroup('GROUP', 'workers', 'crashed-a', 'COUNT', 3, 'STREAMS', stream, '>');
    await redis.xreadgroup('GROUP', 'workers', 'crashed-b', 'COUNT', 3, 'STREAMS', stream, '>');

    const handled: string[] = [];
    const sink = async (payload: DispatchPayload): Promise<void> => void handled.push(payload.id ?? '');
    // crashed-a comes back under the same name: its own entries come first, without waiting.
    const restarted = new RedisEventConsumer(redis, {
      ...ns,
      consumer: 'crashed-a',
      blockMs: 100,
      claimIdleMs: 60_000,
    });
    const restartedRun = restarted.start(sink);
    await until(() => handled.length === 3);
    expect(handled).toEqual([0, 1, 2].map((n) => message(n).id));
    await restarted.stop();
    await restartedRun;

    // crashed-b never returns: another worker takes its entries over once they are idle long enough.
    const rescuer = new RedisEventConsumer(redis, {
      ...ns,
      consumer: 'rescuer',
      blockMs: 100,
      claimIdleMs: 300,
    });
    const rescuerRun = rescuer.start(sink);
    await until(() => handled.length === 6);
    expect(handled.slice(3)).toEqual([3, 4, 5].map((n) => message(n).id));
    await rescuer.stop();
    await rescuerRun;
    const pending = (await redis.xpending(stream, 'workers')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('leaves an event the sink failed on pending, reports it, and delivers it again later', async () => {
    const ns = namespace();
    const publisher = new RedisEventPublisher(redis, ns);
    const reports: Error[] = [];
    let attempts = 0;
    const consumer = new RedisEventConsumer(redis, {
      ...ns,
      blockMs: 50,
      claimIdleMs: 200,
      claimIntervalMs: 50,
    });
    const running = consumer.start(
      async () => {
        attempts++;
        if (attempts === 1) throw new Error('handler crashed');
      },
      (error) => reports.push(error),
    );
    await publisher.publish(message(1), 0);
    await until(() => attempts === 2);
    await consumer.stop();
    await running;
    expect(reports.map((error) => error.message)).toEqual([
      expect.stringContaining(
        'event AT_MESSAGE_CREATE:1 (AT_MESSAGE_CREATE) was not handled; it stays pending',
      ),
    ]);
  });

  it('finishes the events in flight before stop() resolves', async () => {
    const ns = namespace();
    const publisher = new RedisEventPublisher(redis, ns);
    let release: () => void = () => undefined;
    let started = false;
    let finished = false;
    const consumer = new RedisEventConsumer(redis, { ...ns, blockMs: 100 });
    const running = consumer.start(async () => {
      started = true;
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await publisher.publish(message(1), 0);
    await until(() => started);
    const stopping = consumer.stop();
    setTimeout(() => release(), 50);
    await stopping;
    await running;
    expect(finished).toBe(true);
    const pending = (await redis.xpending(`${ns.prefix}:{${appId}}:events`, 'workers')) as [
      number,
      ...unknown[],
    ];
    expect(pending[0]).toBe(0);
  });

  it('survives a Redis restart: publishes wait and retry, the worker reports the outage and resumes', async () => {
    const server = await RedisServer.start();
    const { Redis: RedisClient } = await import('ioredis');
    const connection = new RedisClient(server.url, { retryStrategy: () => 50, maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    try {
      const ns = namespace();
      const publisher = new RedisEventPublisher(connection, {
        ...ns,
        retry: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 1_000 },
      });
      const retries: RedisOperationError[] = [];
      const reports: Error[] = [];
      const handled: string[] = [];
      const consumer = new RedisEventConsumer(connection, {
        ...ns,
        blockMs: 100,
        readTimeoutMs: 500,
        backoff: { baseMs: 20, maxMs: 200 },
      });
      const running = consumer.start(
        async (payload) => void handled.push(payload.id ?? ''),
        (error) => reports.push(error),
      );
      await publisher.publish(message(1), 0);
      await until(() => handled.length === 1);

      await server.stop();
      const during = publisher.publish(message(2), 0, { onRetry: (error) => retries.push(error) });
      await until(() => retries.length > 0 && reports.length > 0);
      await server.restart();

      expect(await during).toBe(true);
      await until(() => handled.length === 2);
      await consumer.stop();
      await running;
      expect(handled).toEqual([message(1).id, message(2).id]);
      expect(retries[0]?.message).toMatch(
        /^shard 0: Redis: could not publish AT_MESSAGE_CREATE \(event AT_MESSAGE_CREATE:2\): /,
      );
      expect(reports[0]?.message).toMatch(/^Redis: could not read events from the stream \(retrying\): /);
    } finally {
      connection.disconnect();
      await server.stop();
    }
  });
});
