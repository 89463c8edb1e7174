import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShardManager } from '@bot/gateway';
import { RedisEventPublisher } from '@bot/gateway/redis';
import { DEFAULT_CLAIM_IDLE_MS } from '../../src/redis/broker/RedisEventConsumerOptions.js';
import type { Emulator, SentFrameRecord } from '@bot/testing';
import { emulatorManager, guildOnShard, startEmulator } from '../support/emulator.js';
import { silentLogger } from '../support/harness.js';
import { FixtureProcess } from './support/processes.js';
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from './support/redis.js';
import { SLOW_POLL, until } from './support/until.js';

const SHARDS = 2;
const EVENTS = 6_000;
const PER_TICK = 10; // every 20 ms: 500 events/s, a 12 s stream
const HANDLER_MS = 100; // with 50 in flight per worker: 1,500 events/s for three, ~17 in flight each
const FORGET_IDLE_MS = 3_000;
const prefix = uniquePrefix();
const handledKey = `${prefix}:handled`;
let redis: Redis;
let emulator: Emulator;
let manager: ShardManager;
const workers = new Map<number, FixtureProcess>();

function startWorker(ordinal: number, claimIdleMs?: number): FixtureProcess {
  const fixture = {
    ...(claimIdleMs === undefined ? {} : { claimIdleMs }),
    redisUrl: redisUrl(),
    prefix,
    appId: emulator.appId,
    ordinal,
    handledKey,
    handlerMs: HANDLER_MS,
    forgetConsumersIdleMs: FORGET_IDLE_MS,
  };
  const worker = new FixtureProcess('failoverWorker.ts', [], { FIXTURE: JSON.stringify(fixture) });
  workers.set(ordinal, worker);
  return worker;
}

/** `[event id, consumer]` of every handling recorded so far, in order. */
async function handlings(): Promise<[string, string][]> {
  return (await redis.lrange(handledKey, 0, -1)).map((line) => line.split('|') as [string, string]);
}

beforeAll(async () => {
  redis = await connectRedis();
  emulator = await startEmulator({ shards: SHARDS, pacing: 'instant' });
});

afterAll(async () => {
  await Promise.all([...workers.values()].map((worker) => worker.stop()));
  await manager?.shutdownAll();
  await emulator?.stop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('worker failover across processes', () => {
  it('a worker killed with -9 mid-stream: its events are taken over by the claim policy (time printed), none lost, repeats only of what it had not acknowledged, its name cleaned up', async () => {
    const stream = `${prefix}:{${emulator.appId}}:events`;
    for (const ordinal of [0, 1, 2]) startWorker(ordinal);
    await Promise.all([...workers.values()].map((worker) => worker.waitFor('started')));
    const publisher = new RedisEventPublisher(redis, {
      appId: emulator.appId,
      prefix,
      logger: silentLogger(),
    });
    manager = emulatorManager(emulator);
    publisher.attach(manager);
    void manager.startShards(SHARDS);
    await until(
      async () => manager.status().filter((status) => status.state === 'ready').length === SHARDS,
      'shards ready',
      { timeoutMs: 30_000, ...SLOW_POLL },
    );

    const sent: string[] = [];
    const ticker = setInterval(() => {
      for (let i = 0; i < PER_TICK && sent.length < EVENTS; i++) {
        const n = sent.length;
        const guildId = guildOnShard(n % SHARDS, SHARDS, n);
        sent.push(emulator.simulate.dispatch('AT_MESSAGE_CREATE', { content: `#${n}` }, { guildId }).id);
      }
      if (sent.length >= EVENTS) clearInterval(ticker);
    }, 20);

    await until(async () => (await redis.llen(handledKey)) >= EVENTS / 4, 'a quarter handled', {
      timeoutMs: 60_000,
      ...SLOW_POLL,
    });
    const victimName = `${hostname()}-1`;
    await workers.get(1)?.crash();
    const killedAt = Date.now();
    const pendingAtDeath = (
      (await redis.xpending(stream, 'workers', '-', '+', EVENTS, victimName)) as [string, ...unknown[]][]
    ).map(([entryId]) => entryId);
    // Which event each of those entries carries, to find it among the handlings.
    const eventOf = new Map<string, string>();
    for (const entryId of pendingAtDeath) {
      const [entry] = await redis.xrange(stream, entryId, entryId);
      const payload = entry?.[1][entry[1].indexOf('payload') + 1] ?? '{}';
      eventOf.set(entryId, (JSON.parse(payload) as { id?: string }).id ?? '');
    }
    const orphaned = new Set(eventOf.values());
    expect(orphaned.size).toBeGreaterThan(0); // it died holding events
    await until(
      async () => {
        const byOthers = new Set((await handlings()).filter(([, by]) => by !== victimName).map(([id]) => id));
        return [...orphaned].every((id) => byOthers.has(id));
      },
      'the dead worker’s events taken over',
      { timeoutMs: 30_000, ...SLOW_POLL },
    );
    const takeoverMs = Date.now() - killedAt;

    await until(async () => sent.length >= EVENTS, 'every event dispatched', {
      timeoutMs: 60_000,
      ...SLOW_POLL,
    });
    await until(
      async () => {
        const [pending] = (await redis.xpending(stream, 'workers')) as [number, ...unknown[]];
        return pending === 0 && new Set((await handlings()).map(([id]) => id)).size >= EVENTS;
      },
      'every event handled and acknowledged',
      { timeoutMs: 90_000, ...SLOW_POLL },
    );

    const emitted = emulator.recorder
      .filter(
        (record): record is SentFrameRecord =>
          record.kind === 'sent' && record.payload.t === 'AT_MESSAGE_CREATE',
      )
      .map((record) => record.payload.id);
    const messages = new Set(sent);
    const seen = new Map<string, number>();
    for (const [id] of await handlings()) if (messages.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1);
    const lost = sent.filter((id) => !seen.has(id));
    const repeated = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
    console.info(
      `worker failover: sent ${emitted.length}, handled ${seen.size}, lost ${lost.length}, handled twice ${repeated.length} (the dead worker held ${orphaned.size} unacknowledged), takeover ${takeoverMs} ms`,
    );
    expect(emitted).toHaveLength(EVENTS);
    expect(lost).toEqual([]);
    expect(repeated.every((id) => orphaned.has(id))).toBe(true);
    // The claim policy takes over between claimIdleMs and claimIdleMs + claimIntervalMs after the
    // crash (5 to 7.5 s by default; the figure is printed above). The bound leaves 15 s of slack
    // for a loaded machine: it catches a policy that waits out the old 30 s idle limit, not jitter.
    expect(takeoverMs).toBeLessThanOrEqual(DEFAULT_CLAIM_IDLE_MS * 1.5 + 15_000);

    // The dead worker's name leaves the group once it has been idle with nothing pending.
    const consumerNames = async (): Promise<string[]> =>
      ((await redis.xinfo('CONSUMERS', stream, 'workers')) as unknown[][]).map((info) => String(info[1]));
    await until(async () => !(await consumerNames()).includes(victimName), 'dead consumer deleted', {
      timeoutMs: 30_000,
      ...SLOW_POLL,
    });
  }, 180_000);

  it('a worker killed with -9 and restarted under its name handles what it had left first, before any takeover', async () => {
    const stream = `${prefix}:{${emulator.appId}}:events`;
    // Long enough that no other worker takes anything over during this test.
    const claimIdleMs = 60_000;
    for (const worker of workers.values()) await worker.stop();
    workers.clear();
    await redis.del(handledKey);
    for (const ordinal of [3, 4]) startWorker(ordinal, claimIdleMs);
    await Promise.all([...workers.values()].map((worker) => worker.waitFor('started')));

    const sent: string[] = [];
    for (let n = 0; n < 2_000; n++) {
      const guildId = guildOnShard(n % SHARDS, SHARDS, n);
      sent.push(emulator.simulate.dispatch('AT_MESSAGE_CREATE', { content: `r${n}` }, { guildId }).id);
      if (n % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
      if (n === 800)
        await until(async () => (await redis.llen(handledKey)) >= 400, 'handling under way', {
          timeoutMs: 30_000,
          ...SLOW_POLL,
        });
      if (n === 800) await workers.get(4)?.crash();
    }
    const victimName = `${hostname()}-4`;
    const left = (
      (await redis.xpending(stream, 'workers', '-', '+', 10_000, victimName)) as [string, ...unknown[]][]
    ).map(([entryId]) => entryId);
    expect(left.length).toBeGreaterThan(0);
    const restartedAt = Date.now();
    startWorker(4, claimIdleMs);
    await until(
      async () => {
        const [pending] = (await redis.xpending(stream, 'workers')) as [number, ...unknown[]];
        const handled = new Set((await handlings()).map(([id]) => id));
        return pending === 0 && sent.every((id) => handled.has(id));
      },
      'every event handled after the restart',
      { timeoutMs: 60_000, ...SLOW_POLL },
    );
    const recoveredMs = Date.now() - restartedAt;
    const messages = new Set(sent);
    const seen = new Map<string, number>();
    for (const [id] of await handlings()) if (messages.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1);
    const lost = sent.filter((id) => !seen.has(id));
    console.info(
      `worker restart: sent ${sent.length}, lost ${lost.length}, handled twice ${[...seen.values()].filter((count) => count > 1).length}, it had left ${left.length} unacknowledged, all handled ${recoveredMs} ms after the restart (process start-up included)`,
    );
    expect(lost).toEqual([]);
    expect(recoveredMs).toBeLessThan(claimIdleMs);
  }, 180_000);
});
