import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventPublisher, RedisKeys, RedisSessionStore } from '@bot/gateway/redis';
import { publishBySequence } from '../../src/redis/broker/sequenceDedupe.js';
import { encodeDispatch } from '../../src/redis/broker/streamEntry.js';
import { keysUnder } from './support/redis.js';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

const message = (seq: number): DispatchPayload => ({
  op: 0,
  id: `AT_MESSAGE_CREATE:${seq}`,
  s: seq,
  t: 'AT_MESSAGE_CREATE',
  d: { content: `#${seq}` },
});

describe('dedupe by sequence', () => {
  it('drops the replay of a resumed session without a key per event', async () => {
    const ns = fixture.namespace();
    const redis = fixture.redis();
    const keys = new RedisKeys(ns);
    const publisher = new RedisEventPublisher(redis, ns);
    const store = new RedisSessionStore(redis, { ...ns, publisher });
    fixture.track(() => store.close());
    await store.set(0, { sessionId: 'session-a', seq: 0, shardCount: 1 });

    const first = await Promise.all(
      Array.from({ length: 200 }, (_, i) => publisher.publish(message(i + 1), 0)),
    );
    expect(first.every((appended) => appended)).toBe(true);
    // The process dies; its shard resumes from the stored seq and the platform replays after it.
    const replay = await Promise.all(
      Array.from({ length: 200 }, (_, i) => publisher.publish(message(i + 1), 0)),
    );
    expect(replay.some((appended) => appended)).toBe(false);
    await publisher.idle();

    expect(await redis.xlen(keys.events)).toBe(200);
    // The stream, the session, and at most the session's (by now empty) list: nothing per event.
    const left = (await keysUnder(fixture.redis(), ns.prefix)).filter(
      (key) => key !== keys.events && key !== keys.session(0),
    );
    expect(
      left.filter((key) => key.startsWith(keys.seenPrefix) || key.startsWith(keys.publishPrefix)),
    ).toEqual([]);
    expect(left.length).toBeLessThanOrEqual(1);
  });

  it('lists events that land above the stored seq until it passes them, and knows them as repeats meanwhile', async () => {
    const ns = fixture.namespace();
    const redis = fixture.redis();
    const keys = new RedisKeys(ns);
    await redis.set(keys.session(0), JSON.stringify({ sessionId: 's', seq: 0, shardCount: 1 }));
    const ahead = keys.publishedAhead(0, 's');
    const publish = (seq: number, durable: number): Promise<unknown> =>
      publishBySequence(
        redis,
        keys,
        { shardId: 0, seq, eventId: message(seq).id, entry: encodeDispatch(message(seq), 0, 1) },
        { key: keys.session(0), sessionId: 's', durable },
        60_000,
      ) ?? Promise.reject(new Error('not sequenced'));

    // Seq 2 lands while seq 1's publish is still retrying: stored seq stays 0, 2 is listed.
    expect(await publish(2, 0)).toEqual([expect.stringMatching(/^\d+-\d+$/), 0]);
    expect(await redis.zrange(ahead, 0, -1)).toEqual(['2']);
    expect(await publish(2, 0)).toEqual(['repeat', 0]); // a replay of 2 before 1 lands
    // Seq 1 lands: everything up to 2 is in the stream, the list is empty again.
    expect(await publish(1, 2)).toEqual([expect.stringMatching(/^\d+-\d+$/), 2]);
    expect(await redis.exists(ahead)).toBe(0);
    expect(await publish(1, 2)).toEqual(['repeat', 2]);
    expect(await publish(2, 2)).toEqual(['repeat', 2]);
    expect(await publish(3, 3)).toEqual([expect.stringMatching(/^\d+-\d+$/), 3]);
    expect(await redis.xlen(keys.events)).toBe(3);
  });

  it('bounds the list of a session whose key stays missing, keeping the highest seqs', async () => {
    const ns = fixture.namespace();
    const redis = fixture.redis();
    const keys = new RedisKeys(ns);
    const ahead = keys.publishedAhead(0, 'gone');
    for (let seq = 1; seq <= 8; seq++) {
      // No session 'gone' is stored (Redis lost it): every event lands above "stored" -1.
      const reply = await publishBySequence(
        redis,
        keys,
        { shardId: 0, seq, eventId: message(seq).id, entry: encodeDispatch(message(seq), 0, 1) },
        { key: keys.session(0), sessionId: 'gone', durable: seq },
        60_000,
        5,
      );
      expect(reply).toEqual([expect.stringMatching(/^\d+-\d+$/), -1]);
    }
    expect(await redis.zrange(ahead, 0, -1)).toEqual(['4', '5', '6', '7', '8']);
  });

  it('knows an event published by id before its session was checkpointed', async () => {
    const ns = fixture.namespace();
    const redis = fixture.redis();
    const keys = new RedisKeys(ns);
    const publisher = new RedisEventPublisher(redis, ns);
    expect(await publisher.publish(message(1), 0)).toBe(true); // no session followed yet: by id
    const store = new RedisSessionStore(redis, { ...ns, publisher });
    fixture.track(() => store.close());
    await store.set(0, { sessionId: 'session-b', seq: 0, shardCount: 1 });
    expect(await publisher.publish(message(1), 0)).toBe(false);
    expect(await redis.xlen(keys.events)).toBe(1);
  });

  it('keeps one marker per event id when asked to', async () => {
    const ns = fixture.namespace();
    const redis = fixture.redis();
    const keys = new RedisKeys(ns);
    const publisher = new RedisEventPublisher(redis, { ...ns, dedupeBy: 'eventId' });
    const store = new RedisSessionStore(redis, { ...ns, publisher });
    fixture.track(() => store.close());
    await store.set(0, { sessionId: 'session-c', seq: 0, shardCount: 1 });
    for (let seq = 1; seq <= 5; seq++) await publisher.publish(message(seq), 0);
    expect((await keysUnder(fixture.redis(), keys.seenPrefix)).length).toBe(5);
    expect(() => new RedisEventPublisher(redis, { ...ns, dedupeBy: 'bytes' as never })).toThrow(
      /dedupeBy must be 'sequence' or 'eventId'/,
    );
  });
});
