import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, GatewayFrameRecord, SentFrameRecord } from '@bot/testing';
import { guildOnShard, startEmulator } from '../support/emulator.js';
import { type FixtureProcess, startShardRange } from './support/processes.js';
import { streamedIds } from './support/publishers.js';
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from './support/redis.js';
import { SLOW_POLL, until } from './support/until.js';

const SHARDS = 6;
const EMULATOR_WINDOW_MS = 1_000;
// The client keeps a margin over the server's window: a grant and the frame's arrival differ by a hop.
const CLIENT_WINDOW_MS = 1_500;
const prefix = uniquePrefix();
let redis: Redis;
let emulator: Emulator;
const processes = new Set<FixtureProcess>();

function startGateway(from: number, to: number): FixtureProcess {
  const child = startShardRange(
    'gatewayProcess.ts',
    emulator,
    { redisUrl: redisUrl(), prefix, from, to, total: SHARDS },
    { windowMs: CLIENT_WINDOW_MS },
  );
  processes.add(child);
  return child;
}

/** The ids of the guild messages in the bot's stream, in stream order. */
const streamedMessages = (): Promise<string[]> =>
  streamedIds(redis, prefix, emulator.appId, 'AT_MESSAGE_CREATE');

const framesWithOp = (op: number): GatewayFrameRecord[] =>
  emulator.recorder.filter(
    (record): record is GatewayFrameRecord => record.kind === 'gateway' && record.op === op,
  );

beforeAll(async () => {
  redis = await connectRedis();
  emulator = await startEmulator({
    shards: SHARDS,
    sessionStartLimit: { total: 1_000, maxConcurrency: 2 },
    identifyWindow: EMULATOR_WINDOW_MS,
  });
});

afterAll(async () => {
  await Promise.all([...processes].map((child) => child.stop()));
  await emulator.stop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('shards of one bot in three processes', () => {
  it('share the identify window and budget, and a crashed process is replaced by one that resumes its shards', async () => {
    const ranges: [number, number][] = [
      [0, 1],
      [2, 3],
      [4, 5],
    ];
    const gateways = ranges.map(([from, to]) => startGateway(from, to));
    await Promise.all(gateways.map((child) => child.waitFor('ready')));

    // Each shard identified once; per bucket (shard % max_concurrency) identifies lie a window apart.
    const identifies = framesWithOp(2);
    const shardOf = (record: GatewayFrameRecord): number =>
      (record.d as { shard: [number, number] }).shard[0];
    expect(identifies.map(shardOf).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const bucket of [0, 1]) {
      const times = identifies
        .filter((record) => shardOf(record) % 2 === bucket)
        .map((record) => record.at)
        .sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++)
        expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(EMULATOR_WINDOW_MS);
    }
    expect(emulator.recorder.filter((record) => record.kind === 'close' && record.code === 4008)).toEqual([]);
    expect(emulator.sessionStartLimit().remaining).toBe(1_000 - SHARDS);
    expect(await redis.hget(`${prefix}:{${emulator.appId}}:identify`, 'remaining')).toBe(
      String(1_000 - SHARDS),
    );

    const published: string[] = [];
    const publish = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const n = published.length;
        published.push(
          emulator.simulate.dispatch(
            'AT_MESSAGE_CREATE',
            { content: `#${n}` },
            { guildId: guildOnShard(n % SHARDS, SHARDS, n) },
          ).id,
        );
      }
    };
    publish(300);
    await until(async () => (await streamedMessages()).length >= 150, 'first events published', {
      timeoutMs: 20_000,
      ...SLOW_POLL,
    });
    await gateways[1]?.crash(); // shards 2 and 3 go down with whatever they had not stored
    publish(300); // their share waits in the emulator's resume buffer

    const replacement = startGateway(2, 3);
    await replacement.waitFor('ready');
    await until(
      async () => (await streamedMessages()).length >= published.length,
      'every event published to the stream',
      { timeoutMs: 30_000, ...SLOW_POLL },
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a late repeat to show up

    const streamed = await streamedMessages();
    expect(streamed.length).toBe(published.length);
    expect(new Set(streamed)).toEqual(new Set(published));
    expect(framesWithOp(2)).toHaveLength(SHARDS); // the replacement resumed: no second identify
    const shardOfSession = new Map<string, number>();
    for (const record of emulator.recorder.filter(
      (r): r is SentFrameRecord => r.kind === 'sent' && r.payload.t === 'READY',
    )) {
      const ready = record.payload.d as { session_id: string; shard: [number, number] };
      shardOfSession.set(ready.session_id, ready.shard[0]);
    }
    const resumedShards = framesWithOp(6).map((record) =>
      shardOfSession.get((record.d as { session_id: string }).session_id),
    );
    expect(new Set(resumedShards)).toEqual(new Set([2, 3]));
    expect(emulator.sessionStartLimit().remaining).toBe(1_000 - SHARDS);
  });
});
