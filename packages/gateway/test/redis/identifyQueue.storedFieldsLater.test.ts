/**
 * The scripts refused a stored maxConcurrency made bad after setup, but read the other fields
 * they compute with unchecked. A negative windowMs left every bucket open (shards of one bucket
 * identified together, and the platform refuses the second with 4008), a negative periodMs renewed
 * the budget on every turn, and a value that is no number (a window of `soon`, a total of `lots`)
 * failed the script with a Lua error naming nothing. Each such value is now refused with a
 * StoredIdentifyStateError naming the key and the field, nothing is written with it, and the queue's
 * next try sets the state up again.
 */
import { describe, expect, it } from 'vitest';
import { RedisIdentifyQueue, StoredIdentifyStateError } from '@bot/gateway/redis';
import { INIT, LEAVE, SENT } from '../../src/redis/identify/scripts.js';
import { IDENTIFY_WINDOW_MS, startedQueue } from './support/identifyQueues.js';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

/** The keys and fields a turn writes, to show a refused one wrote none of them. */
async function written(state: string) {
  const redis = fixture.redis();
  return {
    next: await redis.get(`${state}:next:0`),
    buckets: (await redis.keys(`${state}:next:*`)).sort(),
    lines: await redis.keys(`${state}:queue:*`),
    grants: (await redis.keys(`${state}:grant:*`)).length,
    budget: await redis.hmget(state, 'remaining', 'resetAt', 'tickets'),
  };
}

/** A budget reset an hour ago: a turn now rolls the budget into the current period. */
const PAST = () => String(Date.now() - 3_600_000);

/** Each field the scripts compute with, a value it must not take, and what else the case needs. */
const BAD: { field: string; bad: string; also?: () => Record<string, string> }[] = [
  { field: 'windowMs', bad: '-5000' },
  { field: 'windowMs', bad: '0' },
  { field: 'windowMs', bad: 'soon' },
  { field: 'windowMs', bad: 'nan' },
  { field: 'windowMs', bad: 'inf' },
  { field: 'windowMs', bad: '2147483648' },
  { field: 'windowMs', bad: '' },
  { field: 'periodMs', bad: '-86400000', also: () => ({ resetAt: PAST() }) },
  { field: 'periodMs', bad: '0', also: () => ({ resetAt: PAST() }) },
  { field: 'periodMs', bad: 'daily', also: () => ({ resetAt: PAST() }) },
  { field: 'total', bad: 'lots', also: () => ({ resetAt: PAST() }) },
  { field: 'total', bad: '-1', also: () => ({ resetAt: PAST() }) },
  { field: 'remaining', bad: 'some' },
  { field: 'remaining', bad: '1.5' },
  { field: 'remaining', bad: '-1' },
  { field: 'resetAt', bad: 'tomorrow' },
  { field: 'resetAt', bad: '1e300' },
  { field: 'tickets', bad: 'x' },
  { field: 'tickets', bad: '7.0' },
];

describe('a stored window or budget field made bad after the queue set up its state', () => {
  it.each(BAD)('a turn with $field $bad stored is refused, naming the key and field', async (c) => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, { ...c.also?.(), [c.field]: c.bad });
    const before = await written(state);

    const error = await queue.wait(1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoredIdentifyStateError);
    expect(error).toMatchObject({
      key: state,
      field: c.field,
      stored: c.bad,
      shardId: 1,
      message: expect.stringContaining(`HSET ${state} ${c.field} <`),
    });
    expect((error as Error).message).toContain(`holds ${c.field} a string of ${c.bad.length} character`);
    // Nothing was written with it: no bucket closed or opened, no line joined, no start counted.
    expect(await written(state)).toEqual(before);
    expect(await fixture.redis().hget(state, c.field)).toBe(c.bad);
  });

  it.each(BAD)('the next turn sets $field $bad up again, and shards take turns', async (c) => {
    const { queue, state, lines } = await startedQueue(fixture);
    const turnAt = Date.now();
    await fixture.redis().hset(state, { ...c.also?.(), [c.field]: c.bad });
    await expect(queue.wait(1)).rejects.toBeInstanceOf(StoredIdentifyStateError);

    await queue.wait(1); // bucket 0 with max_concurrency 1: a window after shard 0's turn
    expect(Date.now() - turnAt).toBeGreaterThanOrEqual(IDENTIFY_WINDOW_MS);
    const now = await fixture.redis().hget(state, c.field);
    expect(now).not.toBe(c.bad);
    expect(now).toMatch(/^\d+$/);
    expect(await fixture.redis().hget(state, 'windowMs')).toBe(String(IDENTIFY_WINDOW_MS));
    expect(lines.some((line) => line.startsWith('WARN') && line.includes(`held ${c.field}`))).toBe(true);
  });

  it('a window of a megabyte is named by its size and a short preview, not copied whole', async () => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'windowMs', '9'.repeat(1_000_000));
    const error = await queue.wait(1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoredIdentifyStateError);
    const { message } = error as StoredIdentifyStateError;
    expect(message).toContain('holds windowMs a string of 1000000 characters');
    expect(message.length).toBeLessThan(1_000);
  });

  it('a window that is missing is refused as well', async () => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hdel(state, 'windowMs');
    await expect(queue.wait(1)).rejects.toMatchObject({ field: 'windowMs', stored: '' });
    await queue.wait(1);
    expect(await fixture.redis().hget(state, 'windowMs')).toBe(String(IDENTIFY_WINDOW_MS));
  });

  it.each(['-5000', 'soon'])(
    'a send recorded with window %s writes no bucket, reported with the key',
    async (bad) => {
      const { queue, state, lines } = await startedQueue(fixture);
      await fixture.redis().hset(state, 'windowMs', bad);
      const before = await written(state);
      queue.identifySent(0);
      await expect.poll(() => lines.find((line) => line.includes('holds windowMs'))).toContain(state);
      expect(await written(state)).toEqual(before);
    },
  );

  it.each(['-5000', 'soon', '0'])(
    'SENT refuses window %s; LEAVE, which reads no window, goes on',
    async (bad) => {
      const { state } = await startedQueue(fixture);
      await fixture.redis().hset(state, 'windowMs', bad);
      const before = await written(state);
      expect(await SENT.run(fixture.redis(), [state], [Date.now(), 0, 100])).toEqual([-2, 'windowMs', bad]);
      expect(await written(state)).toEqual(before);
      expect(await LEAVE.run(fixture.redis(), [state], ['ticket-1', 0])).toBe(1);
    },
  );

  it('a window with a fraction that another process set stays and is used (PEXPIRE took none)', async () => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'windowMs', '1500.5');
    await queue.wait(1);
    expect(await fixture.redis().hget(state, 'windowMs')).toBe('1500.5');
  });

  it('setting up again puts the ticket counter past every place taken, so waiters keep their order', async () => {
    const { state } = await startedQueue(fixture);
    await fixture.redis().zadd(`${state}:queue:0`, 41, 'ticket-a', 42, 'ticket-b');
    await fixture.redis().hset(state, 'tickets', 'x');
    const reply = await INIT.run(
      fixture.redis(),
      [state],
      [Date.now(), 1_000, 1_000, 3_600_000, 86_400_000, 1, IDENTIFY_WINDOW_MS, 0],
    );
    expect(Array.isArray(reply) ? reply[4] : reply).toEqual(['tickets', 'x']);
    expect(await fixture.redis().hget(state, 'tickets')).toBe('42');
  });

  it('setting up again after a loss closes the buckets when createdAt is unreadable', async () => {
    const { state } = await startedQueue(fixture);
    await fixture.redis().del(`${state}:next:0`);
    await fixture.redis().hset(state, 'createdAt', 'yesterday');
    const now = Date.now();
    await INIT.run(
      fixture.redis(),
      [state],
      [now, 1_000, 1_000, 3_600_000, 86_400_000, 1, IDENTIFY_WINDOW_MS, 5_000],
    );
    expect(await fixture.redis().get(`${state}:next:0`)).toBe(String(now + 5_000));
  });

  it('a queue whose own window has a fraction takes turns (the grant expiry is rounded up)', async () => {
    const queue = new RedisIdentifyQueue(fixture.redis(), {
      ...fixture.namespace(),
      limits: {
        total: 1_000,
        remaining: 1_000,
        resetAfterMs: 3_600_000,
        maxConcurrency: 1,
        windowMs: 300.5,
        marginMs: 0.25,
      },
    });
    const first = Date.now();
    await queue.wait(0);
    await queue.wait(1);
    expect(Date.now() - first).toBeGreaterThanOrEqual(300);
  });
});
