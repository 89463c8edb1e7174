/**
 * The stream is the checkpoint: each publish stores its shard's seq in the same round trip, and the
 * store tells the shard only what Redis confirmed holding. docs/redis-deployment.md, "Durable
 * sequence".
 */
import { describe, expect, it } from 'vitest';
import { RedisSessionStore } from '@bot/gateway/redis';
import { linkedStore, seqEvent as event, storedSeq } from './support/publishers.js';
import { useRedisFixture } from './support/redisFixture.js';
import { SLOW_POLL, until } from './support/until.js';

const fixture = useRedisFixture();
const { redis, namespace, connectThroughLink } = fixture;

describe('RedisSessionStore with its publisher: the durable seq', () => {
  it('is stored by the publishes themselves, with no write of the store in between', async () => {
    const ns = namespace();
    const { publisher, store } = linkedStore(fixture, ns);
    await store.set(0, { sessionId: 'session-a', seq: 0, shardCount: 1 });

    await Promise.all([1, 2, 3, 4, 5].map((seq) => publisher.publish(event(seq), 0)));

    await until(async () => (await storedSeq(redis(), ns.prefix)) === 5, 'the stored seq reaching 5', {
      timeoutMs: 10_000,
      ...SLOW_POLL,
    });
    expect(store.durableSeq(0, 'session-a')).toBe(5);
    expect(store.durableSeq(0, 'another-session')).toBeUndefined();
  });

  it('stays behind publishes Redis has not confirmed, then catches up as they land', async () => {
    const ns = namespace();
    const { connection, link } = await connectThroughLink();
    const { publisher, store } = linkedStore(fixture, ns, connection, {
      retry: { baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 5_000 },
    });
    await store.set(0, { sessionId: 'session-b', seq: 0, shardCount: 1 });
    for (let seq = 1; seq <= 3; seq++) await publisher.publish(event(seq), 0);
    await until(() => store.durableSeq(0, 'session-b') === 3, 'seq 3 durable', {
      timeoutMs: 10_000,
      ...SLOW_POLL,
    });

    link.stall();
    const held = Promise.all([4, 5, 6].map((seq) => publisher.publish(event(seq), 0)));
    // The store's own write of seq 6 (a shard's flush) stores only what is published.
    await store.set(0, { sessionId: 'session-b', seq: 6, shardCount: 1 });
    expect(store.durableSeq(0, 'session-b')).toBe(3);
    expect(await storedSeq(redis(), ns.prefix)).toBe(3);

    link.resume();
    await held;
    await until(() => store.durableSeq(0, 'session-b') === 6, 'seq 6 durable', {
      timeoutMs: 10_000,
      ...SLOW_POLL,
    });
    expect(await storedSeq(redis(), ns.prefix)).toBe(6);
  });

  it('is what a new process reads, and a write of a lower seq of the same session does not move it back', async () => {
    const ns = namespace();
    const { publisher, store } = linkedStore(fixture, ns);
    await store.set(0, { sessionId: 'session-c', seq: 0, shardCount: 1 });
    for (let seq = 1; seq <= 4; seq++) await publisher.publish(event(seq), 0);
    await until(async () => (await storedSeq(redis(), ns.prefix)) === 4, 'the stored seq reaching 4', {
      timeoutMs: 10_000,
      ...SLOW_POLL,
    });
    await store.set(0, { sessionId: 'session-c', seq: 2, shardCount: 1 });
    expect(await storedSeq(redis(), ns.prefix)).toBe(4);

    const replacement = new RedisSessionStore(redis(), ns);
    expect(await replacement.get(0)).toEqual({ sessionId: 'session-c', seq: 4, shardCount: 1 });
    expect(replacement.durableSeq(0, 'session-c')).toBe(4);
  });
});
