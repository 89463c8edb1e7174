/**
 * A process whose machine was suspended counts the Redis server's time on from its last
 * measurement on the steady clock, which stood still meanwhile: until it measures again, its
 * estimate lags the server by the time spent suspended. The queue notices the suspend (the wall
 * clock moved on while the steady one did not) and measures again before it writes a time to the
 * shared state, so another process's turn is not granted inside the same window, the process's
 * waiters keep their places, and no answer parks a shard longer than `clockSyncIntervalMs`.
 *
 * The server is real and its clock runs in real time, so the suspend is played backwards: the
 * process starts on a fake clock `SUSPEND_MS` behind and its link reads the server's clock as far
 * behind, then its wall clock and the server's move on by `SUSPEND_MS` while its steady clock
 * does not.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IdentifyLimits } from '@bot/gateway';
import { RedisIdentifyQueue, RedisKeys, type RedisIdentifyQueueOptions } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { networkSettlingTimers, settle } from './support/networkClock.js';
import { connectRedis, deleteKeys, uniquePrefix } from './support/redis.js';

const APP_ID = '102000000';
const SUSPEND_MS = 600_000;
const WINDOW_MS = 5_000;
const LEASE_MS = 3_000;
const limits: IdentifyLimits = {
  maxConcurrency: 1,
  total: 1_000,
  remaining: 1_000,
  resetAfterMs: 86_400_000,
  windowMs: WINDOW_MS,
};

let redis: Redis;
/** The suspended process's link: the same server, its clock read `behindMs` back. */
let suspendedLink: Redis;
let behindMs = 0;
const prefixes: string[] = [];
const timers = networkSettlingTimers(() => [redis, suspendedLink]);
let waits = new AbortController();

beforeAll(async () => {
  redis = await connectRedis();
  const link = await connectRedis();
  const time = link.time.bind(link);
  suspendedLink = new Proxy(link, {
    get: (target, name, receiver) =>
      name === 'time'
        ? async () => {
            const [seconds, micros] = await time();
            const ms = Number(seconds) * 1_000 + Number(micros) / 1_000 - behindMs;
            return [String(Math.floor(ms / 1_000)), String(Math.round((ms % 1_000) * 1_000))];
          }
        : (Reflect.get(target, name, receiver) as unknown),
  });
});

afterEach(() => {
  waits.abort(new Error('test over'));
  waits = new AbortController();
  timers.useRealTimers();
  behindMs = 0;
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
  suspendedLink.disconnect();
});

/** The server's time now, in ms since the epoch. */
async function serverNow(): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
}

/** Two queues on one shared state: one in the process to be suspended, one elsewhere. */
async function queues(options: Partial<RedisIdentifyQueueOptions> = {}): Promise<{
  suspended: RedisIdentifyQueue;
  other: RedisIdentifyQueue;
  stateKey: string;
}> {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const common = { appId: APP_ID, prefix, limits, leaseMs: LEASE_MS, logger: silentLogger(), ...options };
  timers.useFakeTimers();
  vi.setSystemTime(Date.now() - SUSPEND_MS);
  behindMs = SUSPEND_MS;
  const suspended = new RedisIdentifyQueue(suspendedLink, common);
  // Sets up the shared state and measures the server's clock, before the suspend.
  await settled(suspended.remaining());
  return {
    suspended,
    other: new RedisIdentifyQueue(redis, common),
    stateKey: new RedisKeys(common).identify,
  };
}

/** The machine was suspended for `SUSPEND_MS`: wall clock and server moved on, steady time did not. */
function suspend(): void {
  vi.setSystemTime(Date.now() + SUSPEND_MS);
  behindMs = 0;
}

/** Awaits `promise` while the network settles (fake time stands still). */
async function settled<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => (done = true));
  while (!done) await settle([redis, suspendedLink]);
  return tracked;
}

/** Starts a wait and records whether it was granted. */
function track(queue: RedisIdentifyQueue, shardId: number): { granted: boolean } {
  const state = { granted: false };
  void queue.wait(shardId, waits.signal).then(
    () => (state.granted = true),
    () => undefined,
  );
  return state;
}

describe('RedisIdentifyQueue after the machine was suspended', () => {
  it("grants no other process's turn inside the window of the first turn after the suspend", async () => {
    const { suspended, other } = await queues();
    suspend();
    await settled(suspended.wait(0, waits.signal));

    const second = track(other, 1);
    await timers.advanceTimersByTimeAsync(WINDOW_MS / 2);
    expect(second.granted).toBe(false);
  });

  it('counts the window of a frame sent after the suspend from the send, on the server clock', async () => {
    const { suspended, other } = await queues();
    // The turn came before the suspend; the frame leaves after it.
    await settled(suspended.wait(0, waits.signal));
    suspend();
    suspended.identifySent(0);
    await timers.advanceTimersByTimeAsync(10);

    const second = track(other, 1);
    await timers.advanceTimersByTimeAsync(WINDOW_MS / 2);
    expect(second.granted).toBe(false);
  });

  it('writes the leases of its waiters on the server clock, so others do not judge them expired', async () => {
    const { suspended, other, stateKey } = await queues();
    await settled(other.wait(0, waits.signal));
    suspend();
    track(suspended, 1);
    await timers.advanceTimersByTimeAsync(LEASE_MS / 2);

    const [ticket, expiry] = await redis.zrange(`${stateKey}:leases`, 0, 0, 'WITHSCORES');
    expect(ticket).toBeDefined();
    expect(Number(expiry)).toBeGreaterThan(await serverNow());
  });

  it('renews the leases of waiters in a long wait on the server clock after a suspend', async () => {
    const { suspended, stateKey } = await queues({ limits: { ...limits, remaining: 0 } });
    track(suspended, 1);
    await timers.advanceTimersByTimeAsync(1_000);
    suspend();
    // The waiter sleeps towards the budget's reset; only the lease renewal runs.
    await timers.advanceTimersByTimeAsync(LEASE_MS / 2);

    const [, expiry] = await redis.zrange(`${stateKey}:leases`, 0, 0, 'WITHSCORES');
    expect(Number(expiry)).toBeGreaterThan(await serverNow());
  });
});

describe('RedisIdentifyQueue sleeping on an answer', () => {
  it('asks again after at most clockSyncIntervalMs, however long the answer said to wait', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    timers.useFakeTimers();
    const options = { appId: APP_ID, prefix, leaseMs: LEASE_MS, logger: silentLogger() };
    const queue = new RedisIdentifyQueue(redis, { ...options, limits: { ...limits, remaining: 0 } });
    const waiter = track(queue, 0);
    await timers.advanceTimersByTimeAsync(1_000);
    // The budget is back (the state was set right by hand): the answer of a day's wait is stale.
    await redis.hset(new RedisKeys(options).identify, 'remaining', 10);

    await timers.advanceTimersByTimeAsync(30_000);
    expect(waiter.granted).toBe(true);
  });
});
