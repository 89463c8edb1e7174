import type { Redis } from 'ioredis';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventPublisher, RedisSessionStore, type RedisEventPublisherOptions } from '@bot/gateway/redis';
import type { Emulator } from '@bot/testing';
import { startEmulator } from '../../support/emulator.js';
import { appId, type RedisFixture, type RedisNamespace } from './redisFixture.js';
import type { StallingLink } from './StallingLink.js';

/** A guild message dispatch with sequence number `seq`, its id `AT_MESSAGE_CREATE:<seq>`. */
export function seqEvent(seq: number): DispatchPayload {
  return { op: 0, id: `AT_MESSAGE_CREATE:${seq}`, s: seq, t: 'AT_MESSAGE_CREATE', d: { content: `#${seq}` } };
}

/** The seq Redis holds for shard `shardId`'s session under `prefix`, read straight from its key. */
export async function storedSeq(redis: Redis, prefix: string, shardId = 0): Promise<number | undefined> {
  const raw = await redis.get(`${prefix}:{${appId}}:session:${shardId}`);
  return raw === null ? undefined : (JSON.parse(raw) as { seq: number }).seq;
}

/**
 * The ids of the events in the stream under `prefix` for `forAppId`, in stream order; with `event`,
 * only those of events of that name.
 */
export async function streamedIds(
  redis: Redis,
  prefix: string,
  forAppId = appId,
  event?: string,
): Promise<string[]> {
  const entries = await redis.xrange(`${prefix}:{${forAppId}}:events`, '-', '+');
  return entries
    .map(
      ([, fields]) =>
        JSON.parse(fields[fields.indexOf('payload') + 1] ?? '{}') as { id?: string; t?: string },
    )
    .filter((payload) => event === undefined || payload.t === event)
    .map((payload) => payload.id ?? '');
}

/**
 * A publisher (on `connection`, the fixture's own by default, with `options`) and the session
 * store linked to it, both closed after the test.
 */
export function linkedStore(
  fixture: RedisFixture,
  ns: RedisNamespace,
  connection: Redis = fixture.redis(),
  options: Partial<RedisEventPublisherOptions> = {},
): { publisher: RedisEventPublisher; store: RedisSessionStore } {
  const publisher = new RedisEventPublisher(connection, { ...ns, ...options });
  const store = new RedisSessionStore(fixture.redis(), { ...ns, publisher });
  fixture.track(
    () => store.close(),
    () => publisher.close(),
  );
  return { publisher, store };
}

/** An emulator for the publisher tests (instant pacing, room to resume), stopped after the test. */
export async function publisherEmulator(fixture: RedisFixture, shards = 1): Promise<Emulator> {
  const emulator = await startEmulator({
    pacing: 'instant',
    resumeBufferSize: 1_000,
    sessionStartLimit: { maxConcurrency: shards },
  });
  fixture.track(() => emulator.stop());
  return emulator;
}

/** A publisher over a link the test stalls, and how to count what reached its stream. */
export interface StallablePublisher {
  publisher: RedisEventPublisher;
  link: StallingLink;
  /** The events with these ids that are in the stream, in stream order. */
  inStream(ids: readonly string[]): Promise<string[]>;
  /** A poll of how many of the events with these ids are in the stream. */
  streamed(ids: readonly string[]): () => Promise<number>;
}

/**
 * A publisher for `emulator`'s bot whose shards pause at 5 unpublished events (half of
 * `maxBacklog` 10), on a connection through a link the test stalls to stand for a Redis outage;
 * its retries wait out the stall (60 s timeout). Closed after the test.
 */
export async function stallablePublisher(
  fixture: RedisFixture,
  emulator: Emulator,
): Promise<StallablePublisher> {
  const ns = { ...fixture.namespace(), appId: emulator.appId };
  const { connection, link } = await fixture.connectThroughLink();
  const publisher = new RedisEventPublisher(connection, {
    ...ns,
    maxBacklog: 10,
    retry: { baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 60_000 },
  });
  fixture.track(() => publisher.close());
  const inStream = async (ids: readonly string[]): Promise<string[]> =>
    (await streamedIds(fixture.redis(), ns.prefix, emulator.appId)).filter((id) => ids.includes(id));
  const streamed = (ids: readonly string[]) => async (): Promise<number> => (await inStream(ids)).length;
  return { publisher, link, inStream, streamed };
}
