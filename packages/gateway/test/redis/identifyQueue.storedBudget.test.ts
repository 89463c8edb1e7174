/**
 * The budget fields of the shared identify state (`total`, `remaining`, `resetAt`) as read outside
 * a turn, and the rule tying `remaining` to `total`:
 * - `remaining()` read the three fields unchecked: a stored `some` gave NaN, `-1` or `1.5` came
 *   back as the count of session starts left, and a missing state gave 0. A value breaking its
 *   rule now fails with a StoredIdentifyStateError naming the key, the field and the `HSET` that
 *   fixes it, and the next call sets the state up again; a missing state is created again.
 * - RELEASE (giving back a turn granted to a wait aborted meanwhile) ran `HINCRBY … remaining 1`
 *   on whatever was stored: `1.5` failed the script with a Lua error that was only logged, naming
 *   nothing, after the grant had been deleted. It now refuses the value as the other scripts do,
 *   with nothing written, and the queue reports the StoredIdentifyStateError and sets the state up
 *   again on its next turn.
 * - A stored `remaining` above `total` was used until the next reset (more session starts than
 *   the day allows). It breaks the rule of `remaining` now: turns refuse it, INIT replaces it with
 *   at most the total, and RELEASE gives back no start that would pass the total.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisIdentifyQueue, StoredIdentifyStateError } from '@bot/gateway/redis';
import { ACQUIRE, INIT, RELEASE } from '../../src/redis/identify/scripts.js';
import { capturingLogger } from '../support/harness.js';
import { IDENTIFY_WINDOW_MS, identifyState, startedQueue } from './support/identifyQueues.js';
import { appId, useRedisFixture } from './support/redisFixture.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

/**
 * A budget field, a value written there (the stored total is 1000, the remaining 999), and the
 * field and value refused when the rule broken is another field's.
 */
const BAD: { field: string; bad: string; refused?: { field: string; stored: string } }[] = [
  { field: 'remaining', bad: 'some' },
  { field: 'remaining', bad: '-1' },
  { field: 'remaining', bad: '1.5' },
  { field: 'remaining', bad: '-0' },
  { field: 'remaining', bad: '9007199254740993' },
  { field: 'remaining', bad: '1001' },
  { field: 'remaining', bad: '' },
  { field: 'total', bad: 'lots' },
  { field: 'total', bad: '-1' },
  { field: 'total', bad: '1e3' },
  // A good total, but below the remaining count: the count breaks its rule.
  { field: 'total', bad: '500', refused: { field: 'remaining', stored: '999' } },
  { field: 'resetAt', bad: 'tomorrow' },
  { field: 'resetAt', bad: '1e300' },
  { field: 'resetAt', bad: '-5' },
];

describe('remaining() on a stored budget it cannot use', () => {
  it.each(BAD)('$field $bad is refused, naming the key, the field and the fix', async (c) => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, c.field, c.bad);
    const refused = c.refused ?? { field: c.field, stored: c.bad };

    const error = await queue.remaining().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoredIdentifyStateError);
    expect(error).toMatchObject({
      key: state,
      ...refused,
      shardId: undefined,
      message: expect.stringContaining(`HSET ${state} ${refused.field} <`),
    });
    expect((error as Error).message).toContain('the budget was not read from it');
    expect(await fixture.redis().hget(state, c.field)).toBe(c.bad);
  });

  it.each(BAD)('the next call after $field $bad sets the state up again', async (c) => {
    const { queue, state, lines } = await startedQueue(fixture);
    await fixture.redis().hset(state, c.field, c.bad);
    await expect(queue.remaining()).rejects.toBeInstanceOf(StoredIdentifyStateError);

    const left = await queue.remaining();
    const [total, remaining] = (await fixture.redis().hmget(state, 'total', 'remaining')).map(Number);
    expect(left).toBe(remaining);
    expect(left).toBeLessThanOrEqual(total ?? 0);
    expect(Number.isSafeInteger(left) && left >= 0).toBe(true);
    expect(lines.some((line) => line.startsWith('WARN') && line.includes('held '))).toBe(true);
  });

  it('a state that is gone is created again from what the process last saw', async () => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().del(state);
    expect(await queue.remaining()).toBe(999);
    expect(await fixture.redis().hget(state, 'remaining')).toBe('999');
  });

  it('after the reset the total is the answer, checked as well', async () => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'resetAt', String(Date.now() - 1_000));
    expect(await queue.remaining()).toBe(1_000);
  });
});

describe('a stored remaining above the total', () => {
  it.each(['1001', '5000'])('a turn with remaining %s of 1000 is refused, nothing written', async (bad) => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'remaining', bad);
    const next = await fixture.redis().get(`${state}:next:0`);

    await expect(queue.wait(1)).rejects.toMatchObject({ key: state, field: 'remaining', stored: bad });
    expect(await fixture.redis().hget(state, 'remaining')).toBe(bad);
    expect(await fixture.redis().get(`${state}:next:0`)).toBe(next);
    expect(await fixture.redis().keys(`${state}:queue:*`)).toEqual([]);
  });

  it('the next turn puts back at most the stored total, and shards take turns', async () => {
    const { queue, state, lines } = await startedQueue(fixture);
    // A total lowered by hand to 100, below this process's own remaining (999 after shard 0).
    await fixture.redis().hset(state, { total: '100', remaining: '500' });
    await expect(queue.wait(1)).rejects.toBeInstanceOf(StoredIdentifyStateError);

    await queue.wait(1);
    expect(await fixture.redis().hmget(state, 'total', 'remaining')).toEqual(['100', '99']);
    expect(
      lines.some(
        (line) =>
          line.startsWith('WARN') &&
          line.includes('held remaining 500') &&
          line.includes("the lower of this process's count of session starts left and the total"),
      ),
    ).toBe(true);
  });

  it('INIT replaces it with the lower of its own and the stored total, and says so', async () => {
    const { state } = await startedQueue(fixture);
    await fixture.redis().hset(state, { total: '100', remaining: '500' });
    const reply = await INIT.run(
      fixture.redis(),
      [state],
      [Date.now(), 1_000, 1_000, 3_600_000, 86_400_000, 1, IDENTIFY_WINDOW_MS, 0],
    );
    expect(Array.isArray(reply) ? reply[4] : reply).toEqual(['remaining', '500']);
    expect(await fixture.redis().hget(state, 'remaining')).toBe('100');
  });
});

/** A turn for shard 1 granted by ACQUIRE itself (a time past shard 0's window), and its ticket. */
async function granted(state: string): Promise<string> {
  const ticket = 'ticket-release';
  const now = Date.now() + 2 * IDENTIFY_WINDOW_MS;
  expect(await ACQUIRE.run(fixture.redis(), [state], [now, ticket, 1, 15_000, 100, 0])).toEqual([
    1,
    0,
    '998',
    expect.any(String),
    '1000',
  ]);
  return ticket;
}

describe('RELEASE on a stored remaining it cannot use', () => {
  it('gives back the start and reopens the window of a good state', async () => {
    const { state } = await startedQueue(fixture);
    const before = await fixture.redis().get(`${state}:next:0`);
    const ticket = await granted(state);
    expect(await RELEASE.run(fixture.redis(), [state], [ticket])).toBe(1);
    expect(await fixture.redis().hget(state, 'remaining')).toBe('999');
    expect(await fixture.redis().get(`${state}:next:0`)).toBe(before);
  });

  it.each(['1.5', 'some', '-0', '1001'])('refuses remaining %s and writes nothing', async (bad) => {
    const { state } = await startedQueue(fixture);
    const ticket = await granted(state);
    await fixture.redis().hset(state, 'remaining', bad);
    const next = await fixture.redis().get(`${state}:next:0`);

    expect(await RELEASE.run(fixture.redis(), [state], [ticket])).toEqual([-2, 'remaining', bad]);
    expect(await fixture.redis().hget(state, 'remaining')).toBe(bad);
    expect(await fixture.redis().get(`${state}:next:0`)).toBe(next);
    expect(await fixture.redis().exists(`${state}:grant:${ticket}`)).toBe(1);
  });

  it('gives back no start that would pass the total', async () => {
    const { state } = await startedQueue(fixture);
    const ticket = await granted(state);
    await fixture.redis().hset(state, 'remaining', '1000');
    expect(await RELEASE.run(fixture.redis(), [state], [ticket])).toBe(1);
    expect(await fixture.redis().hget(state, 'remaining')).toBe('1000');
  });

  it('a turn given back meets a bad remaining: reported with the key and fixed on the next turn', async () => {
    const prefix = fixture.prefix();
    const state = identifyState(prefix);
    const waits = new AbortController();
    // The wait is aborted, and the remaining made bad, after ACQUIRE granted and before its
    // reply reaches the queue: the queue then gives the turn back with RELEASE.
    let hooked = false;
    const redis = onReply(fixture.redis(), async (reply) => {
      if (hooked || !Array.isArray(reply) || reply.length !== 5 || reply[0] !== 1) return;
      hooked = true;
      await fixture.redis().hset(state, 'remaining', '1.5');
      waits.abort(new Error('shard closed'));
    });
    const { logger, lines } = capturingLogger();
    const queue = new RedisIdentifyQueue(redis, {
      appId,
      prefix,
      logger,
      limits: {
        total: 1_000,
        remaining: 1_000,
        resetAfterMs: 3_600_000,
        maxConcurrency: 1,
        windowMs: IDENTIFY_WINDOW_MS,
        marginMs: 100,
      },
    });

    await expect(queue.wait(0, waits.signal)).rejects.toThrow('shard closed');
    await until(() => lines.some((line) => line.includes('holds remaining')), 'the refusal reported');
    const report = lines.find((line) => line.includes('holds remaining')) ?? '';
    expect(report).toMatch(/^WARN /);
    expect(report).toContain(`HSET ${state} remaining <`);
    // The turn was granted: its start stays spent, which a turn refused outright does not say.
    expect(report).toContain('shard 0: ');
    expect(report).toContain('the turn granted was not given back: its session start stays spent');
    expect(report).not.toContain('no turn was taken');
    expect(await fixture.redis().hget(state, 'remaining')).toBe('1.5');

    await queue.wait(1); // sets the state up again first, replacing the value
    expect(await fixture.redis().hget(state, 'remaining')).toMatch(/^\d+$/);
    expect(lines.some((line) => line.startsWith('WARN') && line.includes('held remaining'))).toBe(true);
  });
});

/**
 * The client, with `seen` awaited on each script reply before the caller gets it: the server and
 * the scripts are real, the test only acts between a reply and its use.
 */
function onReply(redis: Redis, seen: (reply: unknown) => Promise<void>): Redis {
  return new Proxy(redis, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'eval' && property !== 'evalsha') return value.bind(target);
      return async (...args: unknown[]) => {
        const reply: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        await seen(reply);
        return reply;
      };
    },
  });
}
