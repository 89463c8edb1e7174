import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/http';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventPublisher, type RedisEventPublisherOptions } from '@bot/gateway/redis';
import { appId, useRedisFixture } from './support/redisFixture.js';
import { unpublished } from './support/unpublished.js';
import type { StallingLink } from './support/StallingLink.js';

const { redis, namespace, connectThroughLink } = useRedisFixture();

/** An event whose stream entry is about `size` bytes. */
const event = (seq: number, size = 100): DispatchPayload => ({
  op: 0,
  id: `AT_MESSAGE_CREATE:${seq}`,
  s: seq,
  t: 'AT_MESSAGE_CREATE',
  d: { content: 'x'.repeat(size) },
});

/** A publisher whose connection runs through a link the test stalls, so publishes wait for Redis. */
async function stalledPublisher(
  options: Omit<RedisEventPublisherOptions, 'appId'>,
): Promise<{ publisher: RedisEventPublisher; link: StallingLink; stream: string }> {
  const ns = namespace();
  const { connection, link } = await connectThroughLink();
  const publisher = new RedisEventPublisher(connection, {
    ...ns,
    retry: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 60_000 },
    ...options,
  });
  await publisher.publish(event(0), 0); // loads the script while the link is healthy
  link.stall();
  return { publisher, link, stream: `${ns.prefix}:{${appId}}:events` };
}

describe('RedisEventPublisher backlog', () => {
  it('drops and reports an event beyond maxBacklog events, and publishes those it holds', async () => {
    const { publisher, link, stream } = await stalledPublisher({ maxBacklog: 2 });
    const held = [publisher.publish(event(1), 0), publisher.publish(event(2), 0)];
    expect(publisher.backlog).toBe(2);

    const error = await unpublished(publisher.publish(event(3), 0));
    expect(error.reason).toBe('backlog-full');
    expect(error.payload).toEqual(event(3));
    expect(error.message).toMatch(
      /^shard 0: Redis: could not publish AT_MESSAGE_CREATE \(event AT_MESSAGE_CREATE:3\): 2 events \(\d+ bytes\) are already waiting for Redis \(maxBacklog 2, maxBacklogBytes 67108864\); this one is dropped$/,
    );
    expect(publisher.publishedUpTo(0, 3)).toBe(0); // 1 and 2 still hold it

    link.resume();
    expect(await Promise.all(held)).toEqual([true, true]);
    expect(await redis().xlen(stream)).toBe(3);
  });

  it('drops and reports an event that would take the backlog past maxBacklogBytes, as it does at maxBacklog', async () => {
    const { publisher, link, stream } = await stalledPublisher({
      maxBacklogBytes: 5_000,
      maxEntryBytes: 2_500,
    });
    const held = [publisher.publish(event(1, 2_000), 0), publisher.publish(event(2, 2_000), 0)];
    expect(publisher.backlog).toBe(2);
    const heldBytes = publisher.backlogBytes;
    expect(heldBytes).toBeGreaterThan(4_000);
    expect(heldBytes).toBeLessThanOrEqual(5_000);

    const error = await unpublished(publisher.publish(event(3, 2_000), 0));
    expect(error.reason).toBe('backlog-full');
    expect(error.payload).toEqual(event(3, 2_000));
    expect(error.message).toBe(
      `shard 0: Redis: could not publish AT_MESSAGE_CREATE (event AT_MESSAGE_CREATE:3): 2 events (${heldBytes} bytes) are already waiting for Redis (maxBacklog 10000, maxBacklogBytes 5000); this one is dropped`,
    );
    expect(publisher.backlogBytes).toBe(heldBytes);
    // A smaller event still fits in what is left.
    const small = publisher.publish(event(4, 10), 0);
    expect(publisher.backlog).toBe(3);

    link.resume();
    expect(await Promise.all([...held, small])).toEqual([true, true, true]);
    expect(publisher.backlogBytes).toBe(0);
    expect(await redis().xlen(stream)).toBe(4);
  });

  it('refuses a byte bound below the largest entry', () => {
    expect(
      () => new RedisEventPublisher(redis(), { appId, maxBacklogBytes: 1_000, maxEntryBytes: 2_000 }),
    ).toThrow(ValidationError);
    expect(() => new RedisEventPublisher(redis(), { appId, maxBacklogBytes: 1_000 })).toThrow(
      'maxBacklogBytes must be at least maxEntryBytes (4194304)',
    );
    expect(() => new RedisEventPublisher(redis(), { appId, maxEntryBytes: 0 })).toThrow(ValidationError);
  });
});
