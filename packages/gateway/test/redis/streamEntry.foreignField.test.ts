/**
 * Another writer to the event stream may store anything in an entry's `shard` or `shards` field:
 * a consumer that cannot read it reports the entry in one bounded, escaped line, so a line break
 * or a terminal escape cannot forge a log line and a megabyte does not end up in every report.
 */
import { describe, expect, it } from 'vitest';
import { RedisEventConsumer, RedisKeys, UndecodableEventError } from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

/** A megabyte that starts like a forged log line and goes on with line breaks and escapes. */
const HUGE = `1\n2026-12-07 00:00:00.000\tFATAL\tforged \u001b[2J${'x\n\u001b'.repeat(349_520)}`;
/** Characters that end a line or start a terminal escape. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const PAYLOAD = JSON.stringify({ op: 0, t: 'AT_MESSAGE_CREATE', s: 1, id: 'ev-1', d: {} });

describe('a stream entry whose shard field a foreign writer filled', () => {
  it.each(['shard', 'shards'])(
    'a megabyte with line breaks and escapes in %s is reported bounded and escaped',
    async (field) => {
      expect(HUGE.length).toBeGreaterThan(1_000_000);
      const ns = fixture.namespace();
      const keys = new RedisKeys(ns);
      const redis = fixture.redis();
      const fields = { shard: '0', shards: '1', payload: PAYLOAD, [field]: HUGE };
      const entryId = String(
        await redis.xadd(
          keys.events,
          '*',
          'shard',
          fields.shard,
          'shards',
          fields.shards,
          'payload',
          fields.payload,
        ),
      );
      const reported: Error[] = [];
      const consumer = new RedisEventConsumer(redis, { ...ns, consumer: 'w', blockMs: 50 });
      const running = consumer.start(
        async () => undefined,
        (error) => reported.push(error),
      );
      await until(() => reported.length > 0, 'the report');
      await consumer.stop();
      await running;

      expect(reported).toHaveLength(1);
      const error = reported[0] as UndecodableEventError;
      expect(error).toBeInstanceOf(UndecodableEventError);
      expect(error.entryId).toBe(entryId);
      expect(error.message).not.toMatch(UNSAFE);
      expect(error.message.length).toBeLessThan(1_000);
      expect(error.problem).toContain(
        `stream entry ${entryId} has ${field} a string of ${HUGE.length} characters "1\\n2026-12-07 00:00:00.000\\tFATAL\\t…", not an integer of at least ${field === 'shard' ? 0 : 1}`,
      );
      // The dead letter keeps the field as stored; only its description is cut.
      const [[, letter] = ['', []]] = await redis.xrange(keys.deadLetters, '-', '+');
      expect(letter[letter.indexOf(field) + 1]).toBe(HUGE);
      const problem = letter[letter.indexOf('error') + 1] ?? '';
      expect(problem.length).toBeLessThan(1_000);
      expect(problem).not.toMatch(UNSAFE);
    },
  );

  it('a payload of a megabyte that is not JSON, with line breaks and escapes, is reported bounded and escaped', async () => {
    const ns = fixture.namespace();
    const keys = new RedisKeys(ns);
    const redis = fixture.redis();
    await redis.xadd(keys.events, '*', 'shard', '0', 'shards', '1', 'payload', `\u001b[2J${HUGE}`);
    const reported: Error[] = [];
    const consumer = new RedisEventConsumer(redis, { ...ns, consumer: 'w', blockMs: 50 });
    const running = consumer.start(
      async () => undefined,
      (error) => reported.push(error),
    );
    await until(() => reported.length > 0, 'the report');
    await consumer.stop();
    await running;

    const error = reported[0] as UndecodableEventError;
    expect(error).toBeInstanceOf(UndecodableEventError);
    expect(error.problem).toContain('has a payload that is not JSON');
    expect(error.message).not.toMatch(UNSAFE);
    expect(error.message.length).toBeLessThan(1_000);
  });
});
