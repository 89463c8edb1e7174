/**
 * Nothing a consumer gives up on is lost: an entry it cannot decode, and one delivered more than
 * maxDeliveries times, are moved to the dead-letter stream before they are acknowledged; when the
 * move fails, the entry stays pending and the failure is reported naming it.
 * docs/redis-deployment.md, "Stream trimming and consumer lag".
 */
import { describe, expect, it } from 'vitest';
import {
  RedisEventConsumer,
  RedisKeys,
  RedisOperationError,
  UndecodableEventError,
  UndeliverableEventError,
} from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';
import { seqEvent } from './support/publishers.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

const pendingCount = async (stream: string): Promise<number> =>
  ((await fixture.redis().xpending(stream, 'workers')) as [number, ...unknown[]])[0];

/** A stream entry's field list as an object (the last of a repeated name wins). */
function fieldsOf(list: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i] ?? ''] = list[i + 1] ?? '';
  return fields;
}

describe('RedisEventConsumer dead letters', () => {
  it('parks an entry it cannot decode (reason undecodable, its id and raw fields), acknowledges it and reports it by id', async () => {
    const ns = fixture.namespace();
    const keys = new RedisKeys(ns);
    const redis = fixture.redis();
    const broken = '{"op":0,"t":"AT_MESSAGE_CREATE"';
    const entryId = String(await redis.xadd(keys.events, '*', 'shard', '0', 'shards', '', 'payload', broken));
    const handled: unknown[] = [];
    const reported: Error[] = [];
    const consumer = new RedisEventConsumer(redis, { ...ns, consumer: 'w', blockMs: 50 });
    const running = consumer.start(
      async (payload) => void handled.push(payload),
      (error) => reported.push(error),
    );
    await until(() => reported.length > 0, 'the report');
    await consumer.stop();
    await running;

    expect(handled).toEqual([]);
    const dead = await redis.xrange(keys.deadLetters, '-', '+');
    expect(dead).toHaveLength(1);
    const [deadLetterId, list] = dead[0] ?? ['', []];
    const letter = fieldsOf(list);
    expect(letter).toMatchObject({ reason: 'undecodable', entry: entryId, shard: '0', payload: broken });
    expect(letter['error']).toContain('not JSON');
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(UndecodableEventError);
    expect(reported[0]).toMatchObject({ entryId, deadLetterId, kind: 'gateway' });
    expect(reported[0]?.message).toContain(entryId);
    expect(reported[0]?.message).toContain(deadLetterId);
    expect(await pendingCount(keys.events)).toBe(0);
  });

  it('leaves an undecodable entry pending, and says so naming it, when it cannot be parked', async () => {
    const ns = fixture.namespace();
    const keys = new RedisKeys(ns);
    const redis = fixture.redis();
    await redis.set(keys.deadLetters, 'not a stream');
    const entryId = String(await redis.xadd(keys.events, '*', 'payload', 'not json'));
    const reported: Error[] = [];
    const consumer = new RedisEventConsumer(redis, { ...ns, consumer: 'w', blockMs: 50 });
    const running = consumer.start(
      async () => undefined,
      (error) => reported.push(error),
    );
    await until(() => reported.length > 0, 'the report');
    await consumer.stop();
    await running;

    expect(reported[0]).toBeInstanceOf(RedisOperationError);
    expect(reported[0]?.message).toContain(entryId);
    expect(reported[0]?.message).toContain('stays pending');
    expect(await pendingCount(keys.events)).toBe(1);
  });

  it('keeps an over-delivered entry pending and reports a RedisOperationError naming it when the dead-letter stream refuses it', async () => {
    const ns = fixture.namespace();
    const keys = new RedisKeys(ns);
    const redis = fixture.redis();
    await redis.set(keys.deadLetters, 'not a stream');
    const fields = ['shard', '0', 'shards', '', 'payload', JSON.stringify(seqEvent(1))];
    const entryId = String(await redis.xadd(keys.events, '*', ...fields));
    const reported: Error[] = [];
    const consumer = new RedisEventConsumer(redis, {
      ...ns,
      consumer: 'w',
      blockMs: 50,
      claimIdleMs: 100,
      claimIntervalMs: 50,
      maxDeliveries: 1,
    });
    const running = consumer.start(
      async () => {
        throw new Error('this handler always fails');
      },
      (error) => reported.push(error),
    );
    const buryFailed = (error: Error): boolean =>
      error instanceof RedisOperationError && error.message.includes(`entry ${entryId}`);
    await until(() => reported.some(buryFailed), 'the failed move reported');
    await consumer.stop();
    await running;

    expect(reported.some((error) => error instanceof UndeliverableEventError)).toBe(false);
    expect(reported.find(buryFailed)?.message).toMatch(/WRONGTYPE.*stays pending/);
    expect(await pendingCount(keys.events)).toBe(1);
    expect(await redis.type(keys.deadLetters)).toBe('string');
  });
});
