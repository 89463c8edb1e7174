/**
 * RELEASE (giving back a turn granted to a wait aborted meanwhile) meeting a state hash that is
 * gone while the grant survives: deleted by hand, or evicted. It took the missing hash for a bad
 * `total` (`{-2, 'total', ''}`), so the queue warned with a fix that does not help
 * (`HSET <key> total …`), and the next turn set the state up again as on a first start, leaving
 * every bucket open at once instead of closed for a window as after ACQUIRE's "missing" answer.
 * RELEASE now deletes the grant and answers -1, and the queue counts the state as lost.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisIdentifyQueue } from '@bot/gateway/redis';
import { ACQUIRE, RELEASE } from '../../src/redis/identify/scripts.js';
import { capturingLogger } from '../support/harness.js';
import { IDENTIFY_WINDOW_MS, identifyState, startedQueue } from './support/identifyQueues.js';
import { appId, useRedisFixture } from './support/redisFixture.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

/** The safety margin of the queues here: a lost state closes every bucket a window plus this. */
const MARGIN_MS = 100;

describe('RELEASE on a state hash that is gone while the grant survives', () => {
  it('deletes the grant, answers -1 and writes nothing else', async () => {
    const { state } = await startedQueue(fixture);
    const ticket = 'ticket-gone';
    const now = Date.now() + 2 * IDENTIFY_WINDOW_MS;
    expect(await ACQUIRE.run(fixture.redis(), [state], [now, ticket, 1, 15_000, MARGIN_MS, 0])).toEqual([
      1,
      0,
      '998',
      expect.any(String),
      '1000',
    ]);
    const next = await fixture.redis().get(`${state}:next:0`);
    await fixture.redis().del(state);

    expect(await RELEASE.run(fixture.redis(), [state], [ticket])).toBe(-1);
    expect(await fixture.redis().exists(`${state}:grant:${ticket}`)).toBe(0);
    expect(await fixture.redis().exists(state)).toBe(0);
    expect(await fixture.redis().get(`${state}:next:0`)).toBe(next);
  });

  it('the queue warns of a missing state and sets it up again with every bucket closed for a window', async () => {
    const prefix = fixture.prefix();
    const state = identifyState(prefix);
    const waits = new AbortController();
    // After ACQUIRE granted and before its reply reaches the queue, the state hash and the bucket's
    // time go (the grant stays), and the wait is aborted: the queue gives the turn back.
    let hooked = false;
    const redis = onReply(fixture.redis(), async (reply) => {
      if (hooked || !Array.isArray(reply) || reply.length !== 5 || reply[0] !== 1) return;
      hooked = true;
      await fixture.redis().del(state, `${state}:next:0`);
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
        marginMs: MARGIN_MS,
      },
    });

    await expect(queue.wait(0, waits.signal)).rejects.toThrow('shard closed');
    await until(() => lines.some((line) => line.startsWith('WARN')), 'the give-back reported');
    expect(lines.filter((line) => line.includes('missing'))).toEqual([
      expect.stringMatching(/^WARN .*identify state missing in Redis/),
    ]);
    expect(lines.some((line) => line.includes('HSET'))).toBe(false);
    expect(await fixture.redis().keys(`${state}:grant:*`)).toEqual([]);

    const setUpAt = Date.now();
    expect(await queue.remaining()).toBe(999);
    const openAt = Number(await fixture.redis().get(`${state}:next:0`));
    expect(openAt - setUpAt).toBeGreaterThan(IDENTIFY_WINDOW_MS);
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
