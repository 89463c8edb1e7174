/**
 * A publish that finds its shard's session missing from Redis makes the linked store write it
 * again, with a warning only when the session really was gone: a publish that ran before the
 * store's first write found no key by design, whenever its answer is handled.
 */
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventPublisher, RedisSessionStore } from '@bot/gateway/redis';
import { capturingLogger } from '../support/harness.js';
import { seqEvent as event, storedSeq } from './support/publishers.js';
import { useRedisFixture, type RedisNamespace } from './support/redisFixture.js';
import { SLOW_POLL, until } from './support/until.js';

const fixture = useRedisFixture();
const { redis, namespace } = fixture;

const MISSING_WARNING = 'WARN the session of shard 0 was no longer in Redis; wrote it again';

/**
 * A publisher and its linked store on one connection, as a gateway process has them (through a
 * link the test can stall), logging to `lines`.
 */
async function linkedOnOneConnection(ns: RedisNamespace) {
  const { connection, link } = await fixture.connectThroughLink();
  const { logger, lines } = capturingLogger();
  const publisher = new RedisEventPublisher(connection, { ...ns, logger });
  const store = new RedisSessionStore(connection, { ...ns, publisher, logger });
  fixture.track(
    () => store.close(),
    () => publisher.close(),
  );
  return { publisher, store, lines, link };
}

/** The READY of session `sessionId`, seq 1. */
function ready(sessionId: string): DispatchPayload {
  return { op: 0, s: 1, t: 'READY', d: { session_id: sessionId } };
}

describe('RedisSessionStore told by its publisher that the session is missing', () => {
  it('does not warn about the READY publish that ran before the first write (nothing was lost)', async () => {
    const ns = namespace();
    const { publisher, store, lines, link } = await linkedOnOneConnection(ns);
    // As a shard does on READY: the session is written, then the READY dispatch published. The
    // publish reaches Redis first and finds no session yet. Held back together (as on a busy
    // link), both are answered in one read: the publish first, but its longer chain of awaits has
    // it handled after the write's answer.
    link.stall();
    const written = store.set(0, { sessionId: 'fresh', seq: 1, shardCount: 1 });
    const published = publisher.publish(ready('fresh'), 0);
    await until(() => link.heldBytes > 0, 'the write and the publish sent', SLOW_POLL);
    link.resume();
    await Promise.all([written, published]);
    await publisher.idle();
    await store.close();

    expect(lines).toEqual([]);
    expect(await storedSeq(redis(), ns.prefix)).toBe(1);
  });

  it('warns once and writes the session again when it really vanished from Redis', async () => {
    const ns = namespace();
    const { publisher, store, lines } = await linkedOnOneConnection(ns);
    await store.set(0, { sessionId: 'kept', seq: 1, shardCount: 1 });
    await publisher.publish(event(2), 0);
    await until(async () => (await storedSeq(redis(), ns.prefix)) === 2, 'seq 2 stored', SLOW_POLL);
    expect(lines).toEqual([]);

    await redis().del(`${ns.prefix}:{${ns.appId}}:session:0`); // Redis lost its data
    await publisher.publish(event(3), 0);
    await publisher.publish(event(4), 0);
    await store.close(); // waits for the writes under way, the one writing the session again too

    expect(lines).toEqual([MISSING_WARNING]);
    expect(await store.get(0)).toMatchObject({ sessionId: 'kept', shardCount: 1 });
  });

  it('still warns about a real loss after a READY publish that overtook the first write', async () => {
    const ns = namespace();
    const { publisher, store, lines } = await linkedOnOneConnection(ns);
    await Promise.all([
      store.set(0, { sessionId: 'later-lost', seq: 1, shardCount: 1 }),
      publisher.publish(ready('later-lost'), 0),
    ]);
    await publisher.publish(event(2), 0);
    await until(async () => (await storedSeq(redis(), ns.prefix)) === 2, 'seq 2 stored', SLOW_POLL);

    await redis().del(`${ns.prefix}:{${ns.appId}}:session:0`);
    await publisher.publish(event(3), 0);
    await store.close(); // waits for the writes under way, the one writing the session again too

    expect(lines).toEqual([MISSING_WARNING]);
  });
});
