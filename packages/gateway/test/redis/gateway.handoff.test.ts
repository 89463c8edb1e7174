import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, GatewayFrameRecord, SentFrameRecord } from '@bot/testing';
import { guildOnShard, startEmulator } from '../support/emulator.js';
import { type FixtureProcess, startShardRange } from './support/processes.js';
import { streamedIds } from './support/publishers.js';
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from './support/redis.js';
import { SLOW_POLL, until } from './support/until.js';

const SHARDS = 2;
const prefix = uniquePrefix();
let redis: Redis;
let emulator: Emulator;
const processes = new Set<FixtureProcess>();

/** A gateway process for both shards, with the publisher's dedupe off: a repeat would show. */
function startGateway(): FixtureProcess {
  const child = startShardRange(
    'gatewayProcess.ts',
    emulator,
    { redisUrl: redisUrl(), prefix, from: 0, to: SHARDS - 1, total: SHARDS },
    { windowMs: 1_500, dedupeWindowMs: 0 },
  );
  processes.add(child);
  return child;
}

/** The ids of the guild messages in the bot's stream, in stream order. */
const streamedMessages = (): Promise<string[]> =>
  streamedIds(redis, prefix, emulator.appId, 'AT_MESSAGE_CREATE');

beforeAll(async () => {
  redis = await connectRedis();
  emulator = await startEmulator({
    shards: SHARDS,
    sessionStartLimit: { total: 1_000, maxConcurrency: SHARDS },
    identifyWindow: 1_000,
  });
});

afterAll(async () => {
  await Promise.all([...processes].map((child) => child.stop()));
  await emulator.stop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('handoff from one gateway process to the next', () => {
  it('resumes the sessions in the new process, and each event of a steady flow reaches the stream once', async () => {
    const first = startGateway();
    await first.waitFor('ready');

    // Events keep coming on both shards while the processes change over.
    const published: string[] = [];
    const publish = (): void => {
      const n = published.length;
      const guildId = guildOnShard(n % SHARDS, SHARDS, n);
      published.push(emulator.simulate.dispatch('AT_MESSAGE_CREATE', { content: `#${n}` }, { guildId }).id);
    };
    const flow = setInterval(() => {
      for (let i = 0; i < 4; i++) publish();
    }, 10);
    try {
      await until(async () => (await streamedMessages()).length >= 100, 'first events streamed', {
        timeoutMs: 20_000,
        ...SLOW_POLL,
      });
      expect(await first.stop()).toBe(0); // SIGTERM: handoff, then exit
      const second = startGateway();
      await second.waitFor('ready');
      const atChangeover = published.length;
      await until(
        async () => (await streamedMessages()).length >= atChangeover + 100,
        'events streamed by the second process',
        { timeoutMs: 20_000, ...SLOW_POLL },
      );
    } finally {
      clearInterval(flow);
    }
    await until(async () => (await streamedMessages()).length >= published.length, 'every event streamed', {
      timeoutMs: 20_000,
      ...SLOW_POLL,
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a late repeat to show up

    const streamed = await streamedMessages();
    expect(streamed.length).toBe(published.length);
    expect(new Set(streamed)).toEqual(new Set(published));

    // The second process resumed both sessions of the first: no identify beyond the first two.
    const frames = (op: number): GatewayFrameRecord[] =>
      emulator.recorder.filter(
        (record): record is GatewayFrameRecord => record.kind === 'gateway' && record.op === op,
      );
    expect(frames(2)).toHaveLength(SHARDS);
    const readySessions = emulator.recorder
      .filter((record): record is SentFrameRecord => record.kind === 'sent' && record.payload.t === 'READY')
      .map((record) => (record.payload.d as { session_id: string }).session_id);
    const resumedSessions = frames(6).map((record) => (record.d as { session_id: string }).session_id);
    expect(new Set(resumedSessions)).toEqual(new Set(readySessions));
    expect(resumedSessions).toHaveLength(SHARDS);
  });
});
