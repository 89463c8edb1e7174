/**
 * Dedupe storage across processes: two gateway processes publish an emulator's events, one is
 * killed with -9 mid-stream and replaced (its shards resume and the platform replays), and Redis
 * is asked what the dedupe costs: keys besides the stream, and bytes per event. Once with dedupe
 * by sequence (the default), once by event id. docs/redis-deployment.md, "Sizing".
 */
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import type { DedupeStorage } from '@bot/gateway/redis';
import type { Emulator, SentFrameRecord } from '@bot/testing';
import { guildOnShard, startEmulator } from '../support/emulator.js';
import { startShardRange, type FixtureProcess } from './support/processes.js';
import { keysUnder, redisUrl } from './support/redis.js';
import { useRedisFixture } from './support/redisFixture.js';
import { SLOW_POLL, until } from './support/until.js';

const SHARDS = 2;
const EVENTS = 3_000;
const fixture = useRedisFixture();
const processes = new Set<FixtureProcess>();

interface Run {
  sent: number;
  lost: number;
  repeated: number;
  dedupeKeys: number;
  dedupeBytesPerEvent: number;
  streamBytesPerEvent: number;
}

async function run(dedupeBy: DedupeStorage): Promise<Run> {
  const redis = fixture.redis();
  const prefix = fixture.prefix();
  const emulator: Emulator = await startEmulator({
    shards: SHARDS,
    sessionStartLimit: { total: 1_000, maxConcurrency: SHARDS },
    identifyWindow: 1_000,
  });
  const start = (shard: number): FixtureProcess => {
    const range = { redisUrl: redisUrl(), prefix, from: shard, to: shard, total: SHARDS };
    const child = startShardRange('gatewayProcess.ts', emulator, range, { windowMs: 1_000, dedupeBy });
    processes.add(child);
    fixture.track(async () => {
      await child.stop();
    });
    return child;
  };
  const stream = `${prefix}:{${emulator.appId}}:events`;
  const streamed = async (): Promise<string[]> =>
    (await redis.xrange(stream, '-', '+'))
      .map(([, fields]) => JSON.parse(fields[fields.indexOf('payload') + 1] ?? '{}') as DispatchPayload)
      .filter((payload) => payload.t === 'AT_MESSAGE_CREATE')
      .map((payload) => payload.id ?? '');
  try {
    const gateways = [start(0), start(1)];
    await Promise.all(gateways.map((child) => child.waitFor('ready')));
    const sent: string[] = [];
    const send = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const n = sent.length;
        sent.push(
          emulator.simulate.dispatch(
            'AT_MESSAGE_CREATE',
            { content: `#${n}` },
            { guildId: guildOnShard(n % SHARDS, SHARDS, n) },
          ).id,
        );
        if (n % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await send(EVENTS / 2);
    await gateways[1]?.crash(); // shard 1 dies with publishes in flight
    await send(EVENTS / 2); // its share waits in the emulator's resume buffer
    await start(1).waitFor('ready'); // resumes: the platform replays after the stored seq
    await until(async () => new Set(await streamed()).size >= EVENTS, 'every event in the stream', {
      timeoutMs: 60_000,
      ...SLOW_POLL,
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a late repeat

    const ids = await streamed();
    const inStream = new Set(ids);
    const emitted = emulator.recorder.filter(
      (record): record is SentFrameRecord =>
        record.kind === 'sent' && record.payload.t === 'AT_MESSAGE_CREATE',
    );
    expect(new Set(emitted.map((record) => record.payload.id)).size).toBe(EVENTS);
    const dedupeKeys = (await keysUnder(redis, `${prefix}:{${emulator.appId}}:events:`)).filter(
      (key) => key !== stream,
    );
    let dedupeBytes = 0;
    for (const key of dedupeKeys) dedupeBytes += Number(await redis.memory('USAGE', key, 'SAMPLES', 0));
    const streamBytes = Number(await redis.memory('USAGE', stream, 'SAMPLES', 0));
    return {
      sent: sent.length,
      lost: sent.filter((id) => !inStream.has(id)).length,
      repeated: ids.length - inStream.size,
      dedupeKeys: dedupeKeys.length,
      dedupeBytesPerEvent: dedupeBytes / ids.length,
      streamBytesPerEvent: streamBytes / (await redis.xlen(stream)),
    };
  } finally {
    await Promise.all([...processes].map((child) => child.stop()));
    processes.clear();
    await emulator.stop();
  }
}

describe('dedupe storage across gateway processes', () => {
  it('by sequence keeps no key per event, and a gateway killed with -9 and replaced adds no repeat and loses nothing; by event id keeps one per event', async () => {
    const bySequence = await run('sequence');
    const byEventId = await run('eventId');
    console.info(
      `dedupe by sequence: ${JSON.stringify(bySequence)}\ndedupe by event id: ${JSON.stringify(byEventId)}`,
    );
    for (const result of [bySequence, byEventId]) {
      expect(result.lost).toBe(0);
      expect(result.repeated).toBe(0);
    }
    expect(bySequence.dedupeKeys).toBeLessThanOrEqual(2 * SHARDS); // a list per session at most
    expect(bySequence.dedupeBytesPerEvent).toBeLessThan(5);
    expect(byEventId.dedupeKeys).toBeGreaterThanOrEqual(EVENTS);
    expect(byEventId.dedupeBytesPerEvent).toBeGreaterThan(50);
  }, 240_000);
});
