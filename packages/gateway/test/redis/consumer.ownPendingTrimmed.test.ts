/**
 * A restarted worker re-reads what it had read but not acknowledged; an entry of those trimmed
 * from the stream meanwhile (a lossy `maxLength`, an `XDEL`) comes back as an id without fields.
 * It is reported as trimmed before anyone handled it, as a takeover reports such ids, and
 * acknowledged: not parked as an undecodable event with nothing in it.
 */
import { describe, expect, it } from 'vitest';
import {
  RedisEventConsumer,
  RedisEventPublisher,
  RedisKeys,
  UndecodableEventError,
} from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';
import { seqEvent } from './support/publishers.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

describe('RedisEventConsumer re-reading its own entries after a restart', () => {
  it('reports an entry trimmed meanwhile as trimmed, acknowledges it, and handles the others', async () => {
    const ns = fixture.namespace();
    const keys = new RedisKeys(ns);
    const redis = fixture.redis();
    const publisher = new RedisEventPublisher(redis, ns);
    await redis.xgroup('CREATE', keys.events, 'workers', '0', 'MKSTREAM');
    for (let seq = 1; seq <= 3; seq++) await publisher.publish(seqEvent(seq), 0);
    // Worker w read all three and died; the second was then trimmed from the stream.
    const read = (await redis.xreadgroup(
      'GROUP',
      'workers',
      'w',
      'COUNT',
      3,
      'STREAMS',
      keys.events,
      '>',
    )) as [string, [string, string[]][]][];
    const trimmedId = read[0]?.[1][1]?.[0] ?? '';
    await redis.xdel(keys.events, trimmedId);

    const handled: string[] = [];
    const reported: Error[] = [];
    const consumer = new RedisEventConsumer(redis, { ...ns, consumer: 'w', blockMs: 50 });
    const running = consumer.start(
      async (payload) => void handled.push(payload.id ?? ''),
      (error) => reported.push(error),
    );
    await until(() => handled.length === 2 && reported.length === 1, 'both entries handled and one report');
    await consumer.stop();
    await running;

    expect(handled).toEqual([seqEvent(1).id, seqEvent(3).id]);
    expect(reported[0]).not.toBeInstanceOf(UndecodableEventError);
    expect(reported[0]?.message).toMatch(/trimmed from the stream before anyone handled/);
    expect(reported[0]?.message).toContain(trimmedId);
    expect(await redis.xlen(keys.deadLetters)).toBe(0);
    expect(((await redis.xpending(keys.events, 'workers')) as [number])[0]).toBe(0);
  });
});
