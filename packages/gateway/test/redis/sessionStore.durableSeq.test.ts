/**
 * The stream is the checkpoint: each publish stores its shard's seq in the same round trip, and the
 * store tells the shard only what Redis confirmed holding. docs/redis-deployment.md, "Durable
 * sequence".
 */
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import type { Redis } from 'ioredis';
import { RedisEventPublisher, RedisSessionStore, type RedisEventPublisherOptions } from '@bot/gateway/redis';
import { appId, useRedisFixture, type RedisNamespace } from './support/redisFixture.js';

const { redis, namespace, track, connectThroughLink } = useRedisFixture();

const event = (seq: number): DispatchPayload => ({
  op: 0,
  id: `AT_MESSAGE_CREATE:${seq}`,
  s: seq,
  t: 'AT_MESSAGE_CREATE',
  d: { content: `#${seq}` },
});

async function storedSeq(prefix: string): Promise<number | undefined> {
  const raw = await redis().get(`${prefix}:{${appId}}:session:0`);
  return raw === null ? undefined : (JSON.parse(raw) as { seq: number }).seq;
}

async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A publisher (on `connection`, with `options`) and the session store linked to it, both closed
 * after the test.
 */
function linkedStore(
  ns: RedisNamespace,
  connection: Redis = redis(),
  options: Partial<RedisEventPublisherOptions> = {},
): { publisher: RedisEventPublisher; store: RedisSessionStore } {
  const publisher = new RedisEventPublisher(connection, { ...ns, ...options });
  const store = new RedisSessionStore(redis(), { ...ns, publisher });
  track(
    () => store.close(),
    () => publisher.close(),
  );
  return { publisher, store };
}

describe('RedisSessionStore with its publisher: the durable seq', () => {
  it('is stored by the publishes themselves, with no write of the store in between', async () => {
    const ns = namespace();
    const { publisher, store } = linkedStore(ns);
    await store.set(0, { sessionId: 'session-a', seq: 0, shardCount: 1 });

    await Promise.all([1, 2, 3, 4, 5].map((seq) => publisher.publish(event(seq), 0)));

    await until(async () => (await storedSeq(ns.prefix)) === 5, 'the stored seq reaching 5');
    expect(store.durableSeq(0, 'session-a')).toBe(5);
    expect(store.durableSeq(0, 'another-session')).toBeUndefined();
  });

  it('stays behind publishes Redis has not confirmed, then catches up as they land', async () => {
    const ns = namespace();
    const { connection, link } = await connectThroughLink();
    const { publisher, store } = linkedStore(ns, connection, {
      retry: { baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 5_000 },
    });
    await store.set(0, { sessionId: 'session-b', seq: 0, shardCount: 1 });
    for (let seq = 1; seq <= 3; seq++) await publisher.publish(event(seq), 0);
    await until(() => store.durableSeq(0, 'session-b') === 3, 'seq 3 durable');

    link.stall();
    const held = Promise.all([4, 5, 6].map((seq) => publisher.publish(event(seq), 0)));
    // The store's own write of seq 6 (a shard's flush) stores only what is published.
    await store.set(0, { sessionId: 'session-b', seq: 6, shardCount: 1 });
    expect(store.durableSeq(0, 'session-b')).toBe(3);
    expect(await storedSeq(ns.prefix)).toBe(3);

    link.resume();
    await held;
    await until(() => store.durableSeq(0, 'session-b') === 6, 'seq 6 durable');
    expect(await storedSeq(ns.prefix)).toBe(6);
  });

  it('is what a new process reads, and a write of a lower seq of the same session does not move it back', async () => {
    const ns = namespace();
    const { publisher, store } = linkedStore(ns);
    await store.set(0, { sessionId: 'session-c', seq: 0, shardCount: 1 });
    for (let seq = 1; seq <= 4; seq++) await publisher.publish(event(seq), 0);
    await until(async () => (await storedSeq(ns.prefix)) === 4, 'the stored seq reaching 4');
    await store.set(0, { sessionId: 'session-c', seq: 2, shardCount: 1 });
    expect(await storedSeq(ns.prefix)).toBe(4);

    const replacement = new RedisSessionStore(redis(), ns);
    expect(await replacement.get(0)).toEqual({ sessionId: 'session-c', seq: 4, shardCount: 1 });
    expect(replacement.durableSeq(0, 'session-c')).toBe(4);
  });
});
