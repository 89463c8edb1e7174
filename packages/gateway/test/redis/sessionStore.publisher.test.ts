import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/http';
import {
  RedisEventPublisher,
  RedisOperationError,
  RedisSessionStore,
  type RedisEventPublisherOptions,
} from '@bot/gateway/redis';
import { linkedStore, seqEvent as event, storedSeq, streamedIds } from './support/publishers.js';
import { appId, useRedisFixture, type RedisNamespace } from './support/redisFixture.js';
import { SLOW_POLL, until } from './support/until.js';

const fixture = useRedisFixture();
const { redis, namespace } = fixture;

/** The publisher and its linked store, the publisher's connection through a link the test can stall. */
async function linkedBehindLink(ns: RedisNamespace, retry: NonNullable<RedisEventPublisherOptions['retry']>) {
  const { connection, link } = await fixture.connectThroughLink();
  return { ...linkedStore(fixture, ns, connection, { retry }), link, connection };
}

describe('RedisSessionStore linked to a RedisEventPublisher', () => {
  it('does not store a seq past a publish being retried after a timeout, and catches up once it lands (once)', async () => {
    const ns = namespace();
    const retry = { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 200 };
    const { publisher, store, link } = await linkedBehindLink(ns, retry);
    for (let seq = 1; seq <= 6; seq++) await publisher.publish(event(seq), 0);
    await store.set(0, { sessionId: 'session-a', seq: 6, shardCount: 1 });
    expect(await storedSeq(redis(), ns.prefix, 0)).toBe(6);

    link.stall();
    const retries: RedisOperationError[] = [];
    const seventh = publisher.publish(event(7), 0, { onRetry: (error) => retries.push(error) });
    // The first try timed out and a second is on its way: both sit on the stalled link.
    await until(() => retries.length >= 1, 'a retried publish', { timeoutMs: 15_000, ...SLOW_POLL });
    // The shard's seq flush for event 7 reaches Redis first, on the store's own connection.
    await store.set(0, { sessionId: 'session-a', seq: 7, shardCount: 1 });
    expect(await storedSeq(redis(), ns.prefix, 0)).toBe(6);
    expect(await streamedIds(redis(), ns.prefix)).not.toContain(event(7).id);

    link.resume();
    // Its first try went through: the retry finds seq 7 in the stream (dedupe by sequence).
    expect(await seventh).toBe(false);
    await until(async () => (await storedSeq(redis(), ns.prefix, 0)) === 7, 'the store catching up', {
      timeoutMs: 15_000,
      ...SLOW_POLL,
    });
    expect(await streamedIds(redis(), ns.prefix)).toEqual([1, 2, 3, 4, 5, 6, 7].map((seq) => event(seq).id));
  });

  it('leaves a seq behind a publish its dead process never got through, so the replay after resume adds it once', async () => {
    const ns = namespace();
    const retry = { attempts: 5, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 200 };
    const { publisher, store, link, connection } = await linkedBehindLink(ns, retry);
    for (let seq = 1; seq <= 4; seq++) await publisher.publish(event(seq), 2);

    link.stall();
    const retries: RedisOperationError[] = [];
    const lost = Promise.allSettled([
      publisher.publish(event(5), 2, { onRetry: (error) => retries.push(error) }),
      publisher.publish(event(6), 2),
    ]);
    await until(() => retries.length >= 1, 'a retried publish', { timeoutMs: 15_000, ...SLOW_POLL });
    await store.set(2, { sessionId: 'session-b', seq: 6, shardCount: 4 });
    // The process dies: its store writes nothing more, its held commands never reach Redis.
    await store.close();
    connection.disconnect();
    link.cut();
    for (const outcome of await lost) {
      expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(RedisOperationError);
    }

    // The replacement resumes from the stored seq; the platform replays everything after it.
    const replacementStore = new RedisSessionStore(redis(), ns);
    const resumed = await replacementStore.get(2);
    expect(resumed).toEqual({ sessionId: 'session-b', seq: 4, shardCount: 4 });
    const replacement = new RedisEventPublisher(redis(), ns);
    for (let seq = (resumed?.seq ?? 0) + 1; seq <= 6; seq++) await replacement.publish(event(seq), 2);
    expect(await streamedIds(redis(), ns.prefix)).toEqual([1, 2, 3, 4, 5, 6].map((seq) => event(seq).id));
  });

  it("never moves a new session's seq with an old session's retried publish, so the new session's events are all appended", async () => {
    const ns = namespace();
    const retry = { baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 150 };
    const { publisher, store, link } = await linkedBehindLink(ns, retry);
    await store.set(0, { sessionId: 'session-a', seq: 899, shardCount: 1 });

    link.stall();
    const retries: RedisOperationError[] = [];
    const old = publisher.publish(event(900), 0, { onRetry: (error) => retries.push(error) });
    await until(() => retries.length >= 1, 'a retried publish', { timeoutMs: 15_000, ...SLOW_POLL });
    // Session A is invalidated while its publish is retried; the shard identifies as session B.
    await store.delete(0);
    await store.set(0, { sessionId: 'session-b', seq: 1, shardCount: 1 });
    await until(() => retries.length >= 2, 'a try sent after session B took over', {
      timeoutMs: 15_000,
      ...SLOW_POLL,
    });
    // Session A's publish under way holds back A's checkpoint only, never B's.
    expect(publisher.publishedUpTo(0, 950, 'session-b')).toBe(950);
    expect(publisher.publishedUpTo(0, 950, 'session-a')).toBe(899);
    link.resume();
    await old;
    await publisher.idle();

    expect(await storedSeq(redis(), ns.prefix, 0)).toBe(1);
    for (const seq of [2, 3, 4]) expect(await publisher.publish(event(seq), 0)).toBe(true);
    expect(await storedSeq(redis(), ns.prefix, 0)).toBe(4);
    const ids = await streamedIds(redis(), ns.prefix);
    expect(ids.filter((id) => id === event(900).id)).toHaveLength(1);
    expect(ids.slice(-3)).toEqual([2, 3, 4].map((seq) => event(seq).id));
  });

  it('stores the full seq at once when nothing is being published, and keeps shards apart', async () => {
    const ns = namespace();
    const retry = { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 200 };
    const { publisher, store, link } = await linkedBehindLink(ns, retry);
    await publisher.publish(event(1), 0);
    await publisher.publish(event(1), 1);

    link.stall();
    const pending = publisher.publish(event(2), 1);
    await store.set(0, { sessionId: 'shard-0', seq: 1, shardCount: 2 });
    await store.set(1, { sessionId: 'shard-1', seq: 2, shardCount: 2 });
    expect(await storedSeq(redis(), ns.prefix, 0)).toBe(1);
    expect(await storedSeq(redis(), ns.prefix, 1)).toBe(1);

    link.resume();
    await pending;
    await until(async () => (await storedSeq(redis(), ns.prefix, 1)) === 2, 'the store catching up', {
      timeoutMs: 15_000,
      ...SLOW_POLL,
    });
  });

  it('derives its TTL from the dedupe window, and refuses a TTL the window does not cover', () => {
    const publisher = new RedisEventPublisher(redis(), { appId });
    expect(publisher.dedupeWindowMs).toBe(16 * 60_000);
    expect(new RedisSessionStore(redis(), { appId, publisher }).ttlMs).toBe(15 * 60_000);
    expect(new RedisSessionStore(redis(), { appId }).ttlMs).toBe(15 * 60_000);

    const shortWindow = new RedisEventPublisher(redis(), { appId, dedupeWindowMs: 5 * 60_000 });
    expect(new RedisSessionStore(redis(), { appId, publisher: shortWindow }).ttlMs).toBe(4 * 60_000);
    expect(
      () => new RedisSessionStore(redis(), { appId, publisher: shortWindow, ttlMs: 15 * 60_000 }),
    ).toThrow(ValidationError);
    expect(
      () => new RedisSessionStore(redis(), { appId, publisher: shortWindow, ttlMs: 15 * 60_000 }),
    ).toThrow(
      "ttlMs must be at most 240000 ms: the publisher's dedupe window (300000 ms) has to outlast a session by 60000 ms",
    );
    const tinyWindow = new RedisEventPublisher(redis(), { appId, dedupeWindowMs: 30_000 });
    expect(() => new RedisSessionStore(redis(), { appId, publisher: tinyWindow })).toThrow(
      'publisher.dedupeWindowMs must exceed 61000 ms',
    );
  });
});
