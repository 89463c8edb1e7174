import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventPublisher, RedisSessionStore, type RedisEventPublisherOptions } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { keysUnder } from './support/redis.js';
import { RedisServer } from './support/redisServer.js';

/*
 * Redis memory per event, measured on a server of its own (INFO's used_memory counts the whole
 * server, so no other test may share it). The figures feed docs/redis-deployment.md, "Sizing".
 */

const EVENTS = 1_000;
const appId = '102000000';
let server: RedisServer;
let redis: Redis;

/** An @-mention as the platform sends it: ids, author, member, mention, timestamps (≈ 620 bytes of JSON). */
function atMessage(n: number): DispatchPayload {
  const id = `08e092eeb983afef9e0110${String(n).padStart(6, '0')}a40e38d4d3a1a4064a`;
  return {
    op: 0,
    s: n + 1,
    t: 'AT_MESSAGE_CREATE',
    id: `AT_MESSAGE_CREATE:${id}`,
    d: {
      id,
      channel_id: '631946051',
      guild_id: '18379143405328826419',
      content: `<@!8429961543622483548> order #${n}: ship two boxes to the second warehouse`,
      timestamp: '2026-12-06T03:05:11+08:00',
      author: {
        id: '14376209683327298416',
        username: 'Lin',
        avatar: 'https://thirdqq.qlogo.cn/g?b=oidb&k=x&s=0',
        bot: false,
      },
      member: { joined_at: '2025-03-01T10:12:44+08:00', roles: ['4', '11'], nick: 'Lin' },
      mentions: [{ id: '8429961543622483548', username: 'OrderBot', avatar: '', bot: true }],
      seq: n + 1,
      seq_in_channel: String(n + 1),
    },
  };
}

async function usedMemory(): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

interface Measured {
  /** Server memory grown per event, everything included. */
  totalPerEvent: number;
  /** The stream's share per event (`MEMORY USAGE … SAMPLES 0`). */
  streamPerEvent: number;
  /** What the rest (dedupe keys and their expiry entries) costs per event: total less stream. */
  dedupePerEvent: number;
  /** `MEMORY USAGE` of the keys other than the stream and sessions, per event (no dict entries). */
  keyBytesPerEvent: number;
  /** Keys other than the stream. */
  keys: number;
}

/**
 * Publishes EVENTS events on 2 shards under a fresh prefix and measures what Redis holds for them;
 * with `sessions`, the shards' sessions are stored and checkpointed by the publisher, as in a
 * gateway process with a linked `RedisSessionStore`.
 */
async function measure(
  prefix: string,
  options: Partial<RedisEventPublisherOptions> = {},
  sessions = false,
): Promise<Measured> {
  const publisher = new RedisEventPublisher(redis, { appId, prefix, logger: silentLogger(), ...options });
  const stream = `${prefix}:{${appId}}:events`;
  const store = sessions ? new RedisSessionStore(redis, { appId, prefix, publisher }) : undefined;
  for (const shardId of [0, 1])
    await store?.set(shardId, { sessionId: `s${shardId}`, seq: 0, shardCount: 2 });
  await publisher.publish(atMessage(-1), 0); // the stream and its first node exist before measuring
  const before = await usedMemory();
  const streamBefore = Number(await redis.memory('USAGE', stream, 'SAMPLES', 0));
  for (let n = 0; n < EVENTS; n += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => publisher.publish(atMessage(n + i), (n + i) % 2)),
    );
  }
  const after = await usedMemory();
  const streamAfter = Number(await redis.memory('USAGE', stream, 'SAMPLES', 0));
  await store?.close();
  const keys = (await keysUnder(redis, prefix)).filter((key) => key !== stream && !key.includes(':session:'));
  let keyBytes = 0;
  for (const key of keys) keyBytes += Number(await redis.memory('USAGE', key, 'SAMPLES', 0));
  const totalPerEvent = (after - before) / EVENTS;
  const streamPerEvent = (streamAfter - streamBefore) / EVENTS;
  return {
    totalPerEvent,
    streamPerEvent,
    dedupePerEvent: totalPerEvent - streamPerEvent,
    keyBytesPerEvent: keyBytes / EVENTS,
    keys: keys.length,
  };
}

beforeAll(async () => {
  server = await RedisServer.start();
  redis = new Redis(server.url);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

describe('Redis memory per event', () => {
  it('measures the stream entry and the dedupe marks of 1,000 events', async () => {
    const payloadBytes = Buffer.byteLength(JSON.stringify(atMessage(0)));
    // A first run loads the scripts and grows the server's buffers, which later runs reuse.
    await measure('size-warm-up', {}, true);
    await measure('size-warm-up-id', { dedupeBy: 'eventId' }, true);
    const bySequence = await measure('size-seq', {}, true);
    const byEventId = await measure('size-id', { dedupeBy: 'eventId' }, true);
    const undeduplicated = await measure('size-none', { dedupeWindowMs: 0 }, true);
    const per1000 = (bytes: number): string => `${((bytes * 1_000) / 1024).toFixed(0)} KiB`;
    console.info(
      [
        `payload ${payloadBytes} B of JSON`,
        `sequence dedupe (default): ${bySequence.totalPerEvent.toFixed(0)} B/event in all (${per1000(bySequence.totalPerEvent)} per 1,000), stream ${bySequence.streamPerEvent.toFixed(0)} B, dedupe ${bySequence.dedupePerEvent.toFixed(0)} B (its keys ${bySequence.keyBytesPerEvent.toFixed(1)} B), ${bySequence.keys} keys`,
        `event-id dedupe: ${byEventId.totalPerEvent.toFixed(0)} B/event in all (${per1000(byEventId.totalPerEvent)} per 1,000), stream ${byEventId.streamPerEvent.toFixed(0)} B, dedupe ${byEventId.dedupePerEvent.toFixed(0)} B (its keys ${byEventId.keyBytesPerEvent.toFixed(1)} B), ${byEventId.keys} keys`,
        `no dedupe (dedupeWindowMs 0): ${undeduplicated.totalPerEvent.toFixed(0)} B/event (${per1000(undeduplicated.totalPerEvent)} per 1,000), ${undeduplicated.keys} keys (one retry marker per publish)`,
      ].join('\n'),
    );
    // By sequence: no key per event, at most one small list per session, next to nothing per event.
    expect(bySequence.keys).toBeLessThanOrEqual(2);
    expect(bySequence.keyBytesPerEvent).toBeLessThan(5);
    // By id: one marker key per event, each costing 100–300 B on top of the stream entry.
    expect(byEventId.keys).toBe(EVENTS + 1);
    expect(byEventId.keyBytesPerEvent).toBeGreaterThan(80);
    expect(byEventId.dedupePerEvent).toBeGreaterThan(100);
    expect(bySequence.streamPerEvent).toBeGreaterThan(payloadBytes / 2);
  });
});
