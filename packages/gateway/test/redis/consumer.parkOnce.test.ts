/**
 * Moving an entry to the dead-letter stream is retried (a try that timed out may have landed), and
 * a handler given up on at stop() may park an entry another worker parked already: a second move
 * of an entry that is no longer pending writes no second dead letter.
 */
import { describe, expect, it } from 'vitest';
import { RedisKeys } from '@bot/gateway/redis';
import { PARK_ENTRY } from '../../src/redis/broker/RedisEventConsumerScripts.js';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

describe('parking an entry in the dead-letter stream', () => {
  it('writes one dead letter however often it is run for the same entry', async () => {
    const keys = new RedisKeys(fixture.namespace());
    const redis = fixture.redis();
    await redis.xgroup('CREATE', keys.events, 'workers', '$', 'MKSTREAM');
    const entryId = String(await redis.xadd(keys.events, '*', 'shard', '0', 'payload', '{}'));
    await redis.xreadgroup('GROUP', 'workers', 'w', 'COUNT', 1, 'STREAMS', keys.events, '>');
    const park = () =>
      PARK_ENTRY.run(redis, [keys.events, keys.deadLetters], ['workers', entryId, 100, 'reason', 'test']);

    const first = await park();
    const second = await park();

    expect(typeof first).toBe('string');
    expect(second).toBeNull();
    expect(await redis.xlen(keys.deadLetters)).toBe(1);
    expect(((await redis.xpending(keys.events, 'workers')) as [number])[0]).toBe(0);
  });
});
