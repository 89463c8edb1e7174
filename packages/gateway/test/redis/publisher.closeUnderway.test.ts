/**
 * Shutdown during an outage: `close()` gives up the publishes still waiting for Redis (their
 * dead letters included), each reported with its payload, so `idle()` resolves and no retry timer is left behind; and `idle()`
 * itself waits no longer than its `timeoutMs`. docs/redis-deployment.md, "Shutting down".
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisEventPublisher, RedisOperationError } from '@bot/gateway/redis';
import { closedPort } from '../support/closedPort.js';
import { useRedisFixture } from './support/redisFixture.js';
import { seqEvent } from './support/publishers.js';
import { unpublished } from './support/unpublished.js';

const { namespace, connectThroughLink, track } = useRedisFixture();

/** Timers the publisher's retries, trim and deadlines use; sockets keep the real clock. */
const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] as const;

/** A client whose server is gone for good: every try fails at once as "not connected". */
async function unreachableClient(): Promise<Redis> {
  const redis = new Redis(`redis://127.0.0.1:${await closedPort()}`, {
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  await redis.connect().catch(() => undefined);
  track(() => redis.disconnect());
  return redis;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RedisEventPublisher close() during an outage', () => {
  it('rejects a publish still retrying with reason closed and its payload, settles idle() and leaves no timer', async () => {
    const redis = await unreachableClient();
    vi.useFakeTimers({ toFake: [...TIMERS] });
    const publisher = new RedisEventPublisher(redis, namespace());
    const publishing = unpublished(publisher.publish(seqEvent(1), 0));
    await vi.advanceTimersByTimeAsync(5_000); // retries by default until Redis is back
    expect(publisher.backlog).toBe(1);

    publisher.close();
    const error = await publishing;
    expect(error).toMatchObject({ reason: 'closed', payload: seqEvent(1), shardId: 0 });
    expect(error.message).toContain('closed while it waited for Redis');
    await publisher.idle();
    expect(publisher.backlog).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cuts short a try whose command Redis has not answered yet', async () => {
    const { connection, link } = await connectThroughLink();
    vi.useFakeTimers({ toFake: [...TIMERS] });
    const publisher = new RedisEventPublisher(connection, namespace());
    link.stall(); // the command is sent, and no answer comes back within the try's 10 s
    const publishing = unpublished(publisher.publish(seqEvent(1), 0));
    await vi.waitFor(() => expect(link.heldBytes).toBeGreaterThan(0));

    publisher.close();
    expect(await publishing).toMatchObject({ reason: 'closed', payload: seqEvent(1) });
    await publisher.idle();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cuts short the dead letter of an oversized event still waiting for Redis, and leaves no timer', async () => {
    const { connection, link } = await connectThroughLink();
    vi.useFakeTimers({ toFake: [...TIMERS] });
    const publisher = new RedisEventPublisher(connection, { ...namespace(), maxEntryBytes: 64 });
    link.stall(); // the dead letter is sent, and no answer comes back within the try's 10 s
    const publishing = unpublished(publisher.publish(seqEvent(1), 0));
    await vi.waitFor(() => expect(link.heldBytes).toBeGreaterThan(0));

    publisher.close();
    const error = await publishing;
    expect(error).toMatchObject({ reason: 'oversized', payload: seqEvent(1) });
    expect(error.message).toMatch(/not parked either \(cut short by close\(\)\)/);
    await publisher.idle();
    expect(publisher.backlog).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('idle({ timeoutMs }) rejects, naming what still waits, when Redis does not come back in time', async () => {
    const redis = await unreachableClient();
    vi.useFakeTimers({ toFake: [...TIMERS] });
    const publisher = new RedisEventPublisher(redis, namespace());
    const publishing = unpublished(publisher.publish(seqEvent(1), 0));
    const idle = publisher.idle({ timeoutMs: 2_000 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await idle;
    expect(error).toBeInstanceOf(RedisOperationError);
    expect(error).toMatchObject({ kind: 'gateway' });
    expect((error as Error).message).toMatch(/1 publish .*still wait.* after 2000 ms.*close\(\)/);

    publisher.close();
    expect(await publishing).toMatchObject({ reason: 'closed' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('idle() resolves at once when nothing waits, and refuses a timeout Node cannot hold', async () => {
    const publisher = new RedisEventPublisher(await unreachableClient(), namespace());
    await expect(publisher.idle({ timeoutMs: 1 })).resolves.toBeUndefined();
    await expect(publisher.idle({ timeoutMs: 2 ** 31 })).rejects.toThrow(/timeoutMs/);
    publisher.close();
  });
});
