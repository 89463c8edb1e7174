/**
 * The shared state's `maxConcurrency` is written by whichever process creates it, and an older
 * version had no bound on it: a broken `/gateway/bot` answer could leave 2^53 - 1 there. Adopted
 * as it was (with only a warning), every shard fell into a bucket of its own, so shards meant to
 * take turns identified at once, and a queue setting up again after Redis lost its data ran a
 * loop over every bucket inside one script. The queue now replaces a stored count that is not an
 * integer from 1 to MAX_IDENTIFY_CONCURRENCY with its own, and says so.
 */
import { describe, expect, it } from 'vitest';
import { MAX_IDENTIFY_CONCURRENCY } from '../../src/identify/IdentifyQueue.js';
import { INIT } from '../../src/redis/identify/scripts.js';
import { IDENTIFY_WINDOW_MS, identifyQueue, identifyState } from './support/identifyQueues.js';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

/** Writes the state hash as a process without the bound would have, holding `maxConcurrency`. */
async function storeState(state: string, maxConcurrency: string, now = Date.now()): Promise<void> {
  await fixture.redis().hset(state, {
    total: 1_000,
    remaining: 1_000,
    resetAt: now + 3_600_000,
    periodMs: 86_400_000,
    maxConcurrency,
    windowMs: IDENTIFY_WINDOW_MS,
    tickets: 0,
    createdAt: now,
  });
}

describe('RedisIdentifyQueue and a stored maxConcurrency out of bounds', () => {
  it.each(['9007199254740991', String(MAX_IDENTIFY_CONCURRENCY + 1), '0', '1.5', 'many'])(
    'replaces a stored %s with its own count, so shards of one bucket still take turns',
    async (stored) => {
      const prefix = fixture.prefix();
      const state = identifyState(prefix);
      await storeState(state, stored);
      const { queue, lines } = identifyQueue(fixture, prefix);

      await queue.wait(0);
      const sentAt = Date.now();
      queue.identifySent(0);
      await queue.wait(1); // bucket 0 as well with max_concurrency 1
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(IDENTIFY_WINDOW_MS);

      expect(await fixture.redis().hget(state, 'maxConcurrency')).toBe('1');
      expect(
        lines.some((line) => line.startsWith('WARN') && line.includes(`max_concurrency ${stored}`)),
      ).toBe(true);
    },
  );

  it('closes only the buckets of a count in bounds when setting up again after a loss', async () => {
    const prefix = fixture.prefix();
    const state = identifyState(prefix);
    const now = Date.now();
    // Created just now by a process without the bound, after Redis lost the state.
    await storeState(state, String(MAX_IDENTIFY_CONCURRENCY * 2), now);
    const reply = await INIT.run(
      fixture.redis(),
      [state],
      [now, 1_000, 1_000, 3_600_000, 86_400_000, 1, IDENTIFY_WINDOW_MS, 5_000],
    );
    expect(Array.isArray(reply) ? reply[0] : reply).toBe('1');
    const closed = await fixture.redis().keys(`${state}:next:*`);
    expect(closed).toEqual([`${state}:next:0`]);
  });

  it('keeps a stored count in bounds that differs from its own, as before', async () => {
    const prefix = fixture.prefix();
    const state = identifyState(prefix);
    await storeState(state, '2');
    const { queue, lines } = identifyQueue(fixture, prefix);
    await queue.wait(0);
    expect(await fixture.redis().hget(state, 'maxConcurrency')).toBe('2');
    expect(
      lines.some((line) => line.includes('another process set up the queue with max_concurrency 2')),
    ).toBe(true);
  });
});
