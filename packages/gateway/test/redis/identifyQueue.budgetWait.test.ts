/**
 * A shard waiting for a used-up session-start budget in the Redis queue is reported as in the
 * in-memory one: once per wait, as a `SessionStartsUsedUpError` naming the shard, the reset and
 * what to do; by default on the queue's logger, so the wait is never silent.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionStartsUsedUpError, type IdentifyLimits } from '@bot/gateway';
import { RedisIdentifyQueue, RedisKeys, type RedisIdentifyQueueOptions } from '@bot/gateway/redis';
import { capturingLogger, silentLogger } from '../support/harness.js';
import { networkSettlingTimers } from './support/networkClock.js';
import { connectRedis, deleteKeys, uniquePrefix } from './support/redis.js';

const APP_ID = '102000000';
const usedUp: IdentifyLimits = { maxConcurrency: 1, total: 1_000, remaining: 0, resetAfterMs: 60_000 };

let redis: Redis;
const prefixes: string[] = [];
const timers = networkSettlingTimers(() => [redis]);
/** Ends the waits a test leaves behind, so none of them outlives it. */
let waits = new AbortController();

beforeAll(async () => {
  redis = await connectRedis();
});

afterEach(() => {
  waits.abort(new Error('test over'));
  waits = new AbortController();
  timers.useRealTimers();
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
});

function queueOn(options: Partial<RedisIdentifyQueueOptions> = {}): {
  queue: RedisIdentifyQueue;
  stateKey: string;
} {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const queue = new RedisIdentifyQueue(redis, {
    appId: APP_ID,
    prefix,
    limits: usedUp,
    logger: silentLogger(),
    // Fake time runs ahead of the server's real one: a fresh measurement of the offset would take
    // the jump back, so none happens within a test.
    clockSyncIntervalMs: 30 * 86_400_000,
    ...options,
  });
  return { queue, stateKey: new RedisKeys({ appId: APP_ID, prefix }).identify };
}

/** When the shared budget resets, on the server's clock, as the queue stored it. */
async function storedResetAt(stateKey: string): Promise<number> {
  return Number(await redis.hget(stateKey, 'resetAt'));
}

describe('RedisIdentifyQueue waiting for a budget reset', () => {
  it('reports a shard waiting for the reset once, with the reset time and the wording of the in-memory queue', async () => {
    timers.useFakeTimers();
    const reports: SessionStartsUsedUpError[] = [];
    const { queue, stateKey } = queueOn({ onBudgetWait: (report) => reports.push(report) });
    const granted: number[] = [];
    void queue.wait(3, waits.signal).then(
      () => granted.push(3),
      () => undefined,
    );
    await timers.advanceTimersByTimeAsync(30_000);

    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toBeInstanceOf(SessionStartsUsedUpError);
    expect(report).toMatchObject({ kind: 'gateway', shardId: 3, total: 1_000 });
    const resetAt = await storedResetAt(stateKey);
    expect(report?.resetAt.getTime()).toBe(resetAt);
    // One text for both queues: the error class words it.
    expect(report?.message).toBe(new SessionStartsUsedUpError(3, 1_000, new Date(resetAt)).message);
    expect(report?.message).toMatch(/^shard 3: session starts are used up .*reset at .* to identify/);
    expect(granted).toEqual([]);

    await timers.advanceTimersByTimeAsync(31_000);
    expect(granted).toEqual([3]);
    expect(reports).toHaveLength(1);
  });

  it('reports every shard waiting in one bucket, each once, not only the first in line', async () => {
    timers.useFakeTimers();
    const reports: SessionStartsUsedUpError[] = [];
    const { queue } = queueOn({ onBudgetWait: (report) => reports.push(report) });
    for (const shardId of [0, 1, 2, 3]) void queue.wait(shardId, waits.signal).catch(() => undefined);
    await timers.advanceTimersByTimeAsync(5_000);
    expect(reports.map((report) => report.shardId).sort()).toEqual([0, 1, 2, 3]);
    await timers.advanceTimersByTimeAsync(5_000);
    expect(reports).toHaveLength(4);
  });

  it('reports nothing while session starts are left', async () => {
    timers.useFakeTimers();
    const reports: SessionStartsUsedUpError[] = [];
    const { queue } = queueOn({
      limits: { ...usedUp, remaining: 2 },
      onBudgetWait: (report) => reports.push(report),
    });
    await queue.wait(0);
    const second = queue.wait(1);
    await timers.advanceTimersByTimeAsync(6_000);
    await second;
    expect(reports).toEqual([]);
  });

  it('without onBudgetWait, warns on its logger once per waiting shard with the same text', async () => {
    timers.useFakeTimers();
    const { logger, lines } = capturingLogger();
    const { queue, stateKey } = queueOn({ logger });
    void queue.wait(5, waits.signal).catch(() => undefined);
    await timers.advanceTimersByTimeAsync(10_000);
    const expected = new SessionStartsUsedUpError(5, 1_000, new Date(await storedResetAt(stateKey))).message;
    expect(lines.filter((line) => line.includes('session starts are used up'))).toEqual([`WARN ${expected}`]);
  });

  it('still grants the turn at the reset when onBudgetWait throws, and warns about the throw', async () => {
    timers.useFakeTimers();
    const { logger, lines } = capturingLogger();
    const { queue } = queueOn({
      logger,
      onBudgetWait: () => {
        throw new Error('handler broke');
      },
    });
    let granted = false;
    void queue.wait(2, waits.signal).then(
      () => (granted = true),
      () => undefined,
    );
    await timers.advanceTimersByTimeAsync(61_000);
    expect(granted).toBe(true);
    expect(lines.filter((line) => line.includes('handler broke'))).toEqual([
      expect.stringMatching(/^WARN onBudgetWait threw while shard 2: session starts are used up/),
    ]);
  });

  it('tells a second process whose wait meets the budget another process used up', async () => {
    timers.useFakeTimers();
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const reports: SessionStartsUsedUpError[] = [];
    const options = { appId: APP_ID, prefix, logger: silentLogger(), clockSyncIntervalMs: 30 * 86_400_000 };
    const first = new RedisIdentifyQueue(redis, { ...options, limits: { ...usedUp, remaining: 1 } });
    const second = new RedisIdentifyQueue(redis, {
      ...options,
      limits: { ...usedUp, remaining: 1 },
      onBudgetWait: (report) => reports.push(report),
    });
    await first.wait(0);
    void second.wait(1, waits.signal).catch(() => undefined);
    await timers.advanceTimersByTimeAsync(10_000);
    expect(reports.map((report) => report.shardId)).toEqual([1]);
  });
});
