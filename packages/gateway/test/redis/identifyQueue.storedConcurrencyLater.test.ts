/**
 * INIT replaces a stored maxConcurrency out of bounds, but the scripts run between two INITs
 * (a turn, a send, leaving the line) read it too: a value written afterwards, by hand or by a
 * process of an older version, was used as it was. With 0 the bucket became `nan`, with 2^53 - 1
 * every shard had a bucket of its own (shards of one bucket identified at once), with `many` the
 * script failed with a Lua error naming nothing. Each script now refuses such a value, and the
 * queue reports a StoredIdentifyStateError naming the key, then sets the state up again.
 */
import { describe, expect, it } from 'vitest';
import { StoredIdentifyStateError } from '@bot/gateway/redis';
import { LEAVE, SENT } from '../../src/redis/identify/scripts.js';
import { IDENTIFY_WINDOW_MS, startedQueue } from './support/identifyQueues.js';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

const BAD = ['0', '9007199254740991', '1.5', 'many', '-3'];

describe('a stored maxConcurrency made bad after the queue set up its state', () => {
  it.each(BAD)(
    'a turn with %s stored is refused with a StoredIdentifyStateError naming the key',
    async (bad) => {
      const { queue, state } = await startedQueue(fixture);
      await fixture.redis().hset(state, 'maxConcurrency', bad);

      const turn = queue.wait(1);
      await expect(turn).rejects.toBeInstanceOf(StoredIdentifyStateError);
      await expect(turn).rejects.toMatchObject({
        key: state,
        stored: bad,
        message: expect.stringContaining(`HSET ${state} maxConcurrency`),
      });
      // No bucket was made of it: only bucket 0 (closed by shard 0's turn) exists.
      expect(await fixture.redis().keys(`${state}:next:*`)).toEqual([`${state}:next:0`]);
      expect(await fixture.redis().keys(`${state}:queue:*`)).toEqual([]);
    },
  );

  it('a stored value of a megabyte is named by its size and a short preview, not copied whole', async () => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'maxConcurrency', 'x'.repeat(1_000_000));
    const error = await queue.wait(1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoredIdentifyStateError);
    const { message } = error as StoredIdentifyStateError;
    expect(message).toContain('a string of 1000000 characters');
    expect(message.length).toBeLessThan(1_000);
  });

  it('the next turn sets the state up again with its own count, and shards take turns', async () => {
    const { queue, state, lines } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'maxConcurrency', '9007199254740991');
    await expect(queue.wait(1)).rejects.toBeInstanceOf(StoredIdentifyStateError);

    const before = Date.now();
    await queue.wait(1); // bucket 0 with max_concurrency 1: after shard 0's window
    expect(Date.now() - before).toBeGreaterThanOrEqual(IDENTIFY_WINDOW_MS - 300);
    expect(await fixture.redis().hget(state, 'maxConcurrency')).toBe('1');
    expect(
      lines.some((line) => line.startsWith('WARN') && line.includes('max_concurrency 9007199254740991')),
    ).toBe(true);
  });

  it('a send recorded with a bad count writes no bucket and is reported with the key', async () => {
    const { queue, state, lines } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'maxConcurrency', '0');
    queue.identifySent(5);
    await expect.poll(() => lines.find((line) => line.includes('holds maxConcurrency'))).toContain(state);
    expect(await fixture.redis().keys(`${state}:next:*`)).toEqual([`${state}:next:0`]);
  });

  it.each(BAD)('SENT and LEAVE refuse %s, and LEAVE still gives up the lease', async (bad) => {
    const { state } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'maxConcurrency', bad);
    await fixture.redis().zadd(`${state}:leases`, Date.now() + 60_000, 'ticket-1');
    expect(await SENT.run(fixture.redis(), [state], [Date.now(), 3, 100])).toEqual([
      -2,
      'maxConcurrency',
      bad,
    ]);
    expect(await LEAVE.run(fixture.redis(), [state], ['ticket-1', 3])).toEqual([-2, 'maxConcurrency', bad]);
    expect(await fixture.redis().zscore(`${state}:leases`, 'ticket-1')).toBeNull();
    expect(await fixture.redis().keys(`${state}:next:*`)).toEqual([`${state}:next:0`]);
  });
});
