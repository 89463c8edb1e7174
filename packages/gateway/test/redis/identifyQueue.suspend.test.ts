/**
 * The identify queue takes the Redis server's time as the local wall clock plus a measured offset.
 * The wall clock counts the time a machine spends suspended, as the server's does, so after a
 * suspend the times it writes to the shared state are right without measuring again (here the
 * server stops answering `TIME` after the suspend): another process's turn is not granted inside
 * the same window, and the process's waiters keep their places. A step of the wall clock brings a
 * measurement on in the background: nothing waits for it, and while it fails the times written are
 * off by at most the step. Setting up waits for a measurement of its own, however a lease renewal
 * races it; a zero safety margin does not stop measurements; no answer parks a shard for good.
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
import { capturingLogger, silentLogger } from '../support/harness.js';
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
/** How long, in fake time, the suspended process's `TIME` takes to answer; `Infinity`: never. */
let timeDelayMs = 0;
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
            if (timeDelayMs === Number.POSITIVE_INFINITY) return new Promise(() => undefined);
            if (timeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, timeDelayMs));
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
  timeDelayMs = 0;
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

/**
 * Two queues on one shared state: one in the process to be suspended (its wall clock and its view
 * of the server `behind` ms back), one elsewhere.
 */
async function queues(
  options: Partial<RedisIdentifyQueueOptions> = {},
  behind = SUSPEND_MS,
): Promise<{
  suspended: RedisIdentifyQueue;
  other: RedisIdentifyQueue;
  stateKey: string;
}> {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const common = { appId: APP_ID, prefix, limits, leaseMs: LEASE_MS, logger: silentLogger(), ...options };
  timers.useFakeTimers();
  vi.setSystemTime(Date.now() - behind);
  behindMs = behind;
  const suspended = new RedisIdentifyQueue(suspendedLink, common);
  // Sets up the shared state and measures the server's clock, before the suspend.
  await settled(suspended.remaining());
  return {
    suspended,
    other: new RedisIdentifyQueue(redis, common),
    stateKey: new RedisKeys(common).identify,
  };
}

/**
 * The machine was suspended for `SUSPEND_MS`: wall clock and server moved on, steady time did not.
 * The server no longer answers `TIME`: nothing may need a new measurement.
 */
function suspend(): void {
  vi.setSystemTime(Date.now() + SUSPEND_MS);
  behindMs = 0;
  timeDelayMs = Number.POSITIVE_INFINITY;
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
  it('asks again after at most 5 minutes, however long the answer said to wait', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    timers.useFakeTimers();
    const options = { appId: APP_ID, prefix, leaseMs: LEASE_MS, logger: silentLogger() };
    const queue = new RedisIdentifyQueue(redis, { ...options, limits: { ...limits, remaining: 0 } });
    const waiter = track(queue, 0);
    await timers.advanceTimersByTimeAsync(1_000);
    // The budget is back (the state was set right by hand): the answer of a day's wait is stale.
    await redis.hset(new RedisKeys(options).identify, 'remaining', 10);

    await timers.advanceTimersByTimeAsync(299_000);
    expect(waiter.granted).toBe(true);
  });
});

describe('RedisIdentifyQueue after a step of the wall clock', () => {
  it('goes on at once, off by at most the step, while the server does not answer TIME, and warns once', async () => {
    const { logger, lines } = capturingLogger();
    const { suspended, other, stateKey } = await queues({ logger }, 0);
    await settled(other.wait(0, waits.signal));
    // The wall clock steps back 2 s; the measurement it brings on never gets an answer.
    vi.setSystemTime(Date.now() - 2_000);
    timeDelayMs = Number.POSITIVE_INFINITY;
    const first = track(suspended, 1);
    await timers.advanceTimersByTimeAsync(100);

    // In line at once (not held by the measurement), its lease 2 s short at most.
    const [ticket, expiry] = await redis.zrange(`${stateKey}:leases`, 0, 0, 'WITHSCORES');
    expect(ticket).toBeDefined();
    const leftMs = Number(expiry) - (await serverNow());
    expect(leftMs).toBeGreaterThan(LEASE_MS - 2_000 - 200);
    expect(leftMs).toBeLessThan(LEASE_MS + 200);
    // Its turn comes once the window, counted 2 s late, has passed.
    await timers.advanceTimersByTimeAsync(WINDOW_MS + 3_000);
    expect(first.granted).toBe(true);
    await timers.advanceTimersByTimeAsync(30_000);
    expect(lines.filter((line) => line.startsWith('WARN'))).toHaveLength(1);
  });
});

describe('RedisIdentifyQueue setting up', () => {
  it("sets up the shared state on a measurement of the server's clock when a lease renewal races it", async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    timers.useFakeTimers();
    // This machine's wall clock is 10 min behind the server's; each TIME takes 1.5 s, so a lease
    // renewal (every second) falls due while setting up measures the clock.
    vi.setSystemTime(Date.now() - SUSPEND_MS);
    timeDelayMs = 1_500;
    const options = { appId: APP_ID, prefix, limits, leaseMs: LEASE_MS, logger: silentLogger() };
    const queue = new RedisIdentifyQueue(suspendedLink, options);
    const waiter = track(queue, 0);
    await timers.advanceTimersByTimeAsync(15_000);

    expect(waiter.granted).toBe(true);
    const createdAt = Number(await redis.hget(new RedisKeys(options).identify, 'createdAt'));
    expect(Math.abs(createdAt - (await serverNow()))).toBeLessThan(30_000);
  });
});

describe('RedisIdentifyQueue with no safety margin', () => {
  it("still measures the server's clock again when sampling it takes longer than the margin", async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    timers.useFakeTimers();
    timeDelayMs = 5;
    const options = {
      appId: APP_ID,
      prefix,
      leaseMs: LEASE_MS,
      clockSyncIntervalMs: 1_000,
      logger: silentLogger(),
      limits: { ...limits, remaining: 0, marginMs: 0 },
    };
    const queue = new RedisIdentifyQueue(suspendedLink, options);
    track(queue, 0);
    await timers.advanceTimersByTimeAsync(2_000);
    // The server's clock (as this link reads it) is set back a minute: measured again, lease
    // expiries follow it.
    behindMs = 60_000;
    await timers.advanceTimersByTimeAsync(4_000);

    const [, expiry] = await redis.zrange(`${new RedisKeys(options).identify}:leases`, 0, 0, 'WITHSCORES');
    expect(Number(expiry) - (await serverNow())).toBeLessThan(-30_000);
  });
});
