import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { RedisEventConsumer, RedisEventPublisher, UndeliverableEventError } from '@bot/gateway/redis';
import { ValidationError } from '@bot/http';
import { useRedisFixture } from './support/redisFixture.js';
import { until } from './support/until.js';
import { seqEvent as message } from './support/publishers.js';

const fixture = useRedisFixture();

const pendingCount = async (stream: string): Promise<number> =>
  ((await fixture.redis().xpending(stream, 'workers')) as [number, ...unknown[]])[0];

describe('RedisEventConsumer failover', () => {
  it('is named after its host by default, with the ordinal when one is given', () => {
    const ns = fixture.namespace();
    expect(new RedisEventConsumer(fixture.redis(), ns).consumer).toBe(hostname());
    expect(new RedisEventConsumer(fixture.redis(), { ...ns, ordinal: 3 }).consumer).toBe(`${hostname()}-3`);
    expect(new RedisEventConsumer(fixture.redis(), { ...ns, ordinal: 3, consumer: 'w' }).consumer).toBe('w');
    expect(() => new RedisEventConsumer(fixture.redis(), { ...ns, ordinal: -1 })).toThrow(ValidationError);
    expect(() => new RedisEventConsumer(fixture.redis(), { ...ns, ordinal: 1.5 })).toThrow(
      /ordinal must be an integer ≥ 0/,
    );
  });

  it('acknowledges each event as its handler finishes: a slow handler holds one slot, not a batch', async () => {
    const ns = fixture.namespace();
    const stream = `${ns.prefix}:{${ns.appId}}:events`;
    const publisher = new RedisEventPublisher(fixture.redis(), ns);
    let releaseSlow: () => void = () => undefined;
    const handled: string[] = [];
    const consumer = new RedisEventConsumer(fixture.redis(), {
      ...ns,
      consumer: 'w',
      batchSize: 5,
      blockMs: 50,
    });
    const running = consumer.start(async (payload) => {
      if (payload.id === message(0).id) await new Promise<void>((resolve) => (releaseSlow = resolve));
      handled.push(payload.id ?? '');
    });
    for (let n = 0; n < 40; n++) await publisher.publish(message(n), 0);
    // The 39 others pass the slow one through the 4 slots it leaves, each acknowledged on its own.
    await until(() => handled.length === 39);
    await until(async () => (await pendingCount(stream)) === 1);
    releaseSlow();
    await until(async () => (await pendingCount(stream)) === 0);
    await consumer.stop();
    await running;
    expect(new Set(handled).size).toBe(40);
  });

  it('renews an event its slow handler still runs on, so no other worker takes it over', async () => {
    const ns = fixture.namespace();
    const publisher = new RedisEventPublisher(fixture.redis(), ns);
    const handledBy: string[] = [];
    // Renewals every 667 ms against a 2 s idle limit: a loaded machine may stall the worker's
    // event loop for over a second and the entry still stays its own.
    const timings = { blockMs: 50, claimIdleMs: 2_000, claimIntervalMs: 100 };
    const slow = new RedisEventConsumer(fixture.redis(), { ...ns, ...timings, consumer: 'slow' });
    let started = false;
    const slowRun = slow.start(async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 5_000)); // 2.5 times claimIdleMs
      handledBy.push('slow');
    });
    await publisher.publish(message(1), 0);
    await until(() => started);
    const other = new RedisEventConsumer(fixture.redis(), { ...ns, ...timings, consumer: 'other' });
    const otherRun = other.start(async () => void handledBy.push('other'));
    await until(() => handledBy.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all([slow.stop(), other.stop()]);
    await Promise.all([slowRun, otherRun]);
    expect(handledBy).toEqual(['slow']);
  });

  it('never takes over an entry it is handling itself, even when it looks abandoned', async () => {
    const ns = fixture.namespace();
    const stream = `${ns.prefix}:{${ns.appId}}:events`;
    const redis = fixture.redis();
    const publisher = new RedisEventPublisher(redis, ns);
    let release: () => void = () => undefined;
    const calls: string[] = [];
    // Renewals every 20 s never come in this test; the scan for abandoned entries runs every 50 ms.
    const consumer = new RedisEventConsumer(redis, {
      ...ns,
      consumer: 'w',
      blockMs: 50,
      claimIdleMs: 60_000,
      claimIntervalMs: 50,
    });
    const running = consumer.start(async (payload) => {
      calls.push(payload.id ?? '');
      await new Promise<void>((resolve) => (release = resolve));
    });
    await publisher.publish(message(1), 0);
    await until(() => calls.length === 1);
    const [[id]] = (await redis.xpending(stream, 'workers', '-', '+', 10)) as [[string]];
    // As after renewals lost to a Redis outage: the entry has gone unrenewed past claimIdleMs.
    await redis.call('XCLAIM', stream, 'workers', 'w', 0, id, 'IDLE', 120_000, 'JUSTID');
    const deliveries = async (): Promise<number> =>
      ((await redis.xpending(stream, 'workers', '-', '+', 10)) as [[string, string, number, number]])[0][3];
    // The worker's scan claimed it again (its delivery count went up) while its handler still ran.
    await until(async () => (await deliveries()) >= 2);
    release();
    await until(async () => (await pendingCount(stream)) === 0);
    await consumer.stop();
    await running;
    expect(calls).toEqual([message(1).id]);
  });

  it('moves an entry delivered more than maxDeliveries times to the dead-letter stream, acknowledges and reports it', async () => {
    const ns = fixture.namespace();
    const stream = `${ns.prefix}:{${ns.appId}}:events`;
    const redis = fixture.redis();
    const publisher = new RedisEventPublisher(redis, ns);
    const attempts: string[] = [];
    const reported: Error[] = [];
    const consumer = new RedisEventConsumer(redis, {
      ...ns,
      consumer: 'w',
      blockMs: 50,
      claimIdleMs: 100,
      claimIntervalMs: 50,
      maxDeliveries: 2,
    });
    const running = consumer.start(
      async (payload) => {
        attempts.push(payload.id ?? '');
        if (payload.id === message(1).id) throw new Error('this handler always fails');
      },
      (error) => reported.push(error),
    );
    for (const n of [1, 2, 3]) await publisher.publish(message(n), 0);
    await until(() => reported.some((error) => error instanceof UndeliverableEventError));
    await until(async () => (await pendingCount(stream)) === 0);
    await consumer.stop();
    await running;

    const buried = reported.find((error) => error instanceof UndeliverableEventError);
    expect(buried).toMatchObject({ deliveries: 3, eventId: message(1).id, kind: 'gateway' });
    expect(attempts.filter((id) => id === message(1).id)).toHaveLength(2);
    expect(attempts).toEqual(expect.arrayContaining([message(2).id, message(3).id]));
    const dead = await redis.xrange(`${stream}:dead`, '-', '+');
    expect(dead).toHaveLength(1);
    const fields = dead[0]?.[1] ?? [];
    expect(fields.slice(0, 4)).toEqual(['reason', 'undeliverable', 'deliveries', '3']);
    expect(fields[fields.indexOf('payload') + 1]).toContain(message(1).id);
  });

  it('deletes consumers idle with nothing pending, and keeps those with pending entries', async () => {
    const ns = fixture.namespace();
    const stream = `${ns.prefix}:{${ns.appId}}:events`;
    const redis = fixture.redis();
    const publisher = new RedisEventPublisher(redis, ns);
    await redis.xgroup('CREATE', stream, 'workers', '0', 'MKSTREAM');
    await publisher.publish(message(1), 0);
    await publisher.publish(message(2), 0);
    // 'holder' read an event and died with it pending; 'gone' handled and acknowledged its one.
    await redis.xreadgroup('GROUP', 'workers', 'holder', 'COUNT', 1, 'STREAMS', stream, '>');
    const read = (await redis.xreadgroup('GROUP', 'workers', 'gone', 'COUNT', 1, 'STREAMS', stream, '>')) as [
      string,
      [string, string[]][],
    ][];
    await redis.xack(stream, 'workers', read[0]?.[1][0]?.[0] ?? '');
    const consumer = new RedisEventConsumer(redis, {
      ...ns,
      consumer: 'live',
      blockMs: 50,
      claimIdleMs: 60_000, // nothing is taken over in this test
      claimIntervalMs: 50,
      forgetConsumersIdleMs: 300,
    });
    const running = consumer.start(async () => undefined);
    const names = async (): Promise<string[]> =>
      ((await redis.xinfo('CONSUMERS', stream, 'workers')) as unknown[][]).map((info) => String(info[1]));
    await until(async () => !(await names()).includes('gone'));
    await consumer.stop();
    await running;
    // Whether 'live' itself is listed depends on the server version (before 7.2 a read that
    // returns nothing creates no consumer); the one with a pending entry stays.
    expect(await names()).toContain('holder');
  });
});
