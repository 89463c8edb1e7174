/**
 * The waits a process of the Redis scale-out counts for itself are durations on the steady clock:
 * a step of its wall clock (a time sync, a resumed virtual machine) neither stretches nor cuts
 * them. Each case steps `Date.now()` by an hour while the wait runs.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShardManager } from '@bot/gateway';
import {
  RedisEventConsumer,
  RedisEventPublisher,
  RedisShardLeases,
  ShardLeaseError,
} from '@bot/gateway/redis';
import { feedFromManager } from '../../src/redis/broker/RedisEventPublisherFeed.js';
import { RedisOperationError } from '../../src/redis/RedisOperationError.js';
import { RedisAvailability } from '../../src/redis/support/RedisAvailability.js';
import { useRedisFixture } from './support/redisFixture.js';
import { seqEvent as message } from './support/publishers.js';

const HOUR = 3_600_000;
const STEPS = [
  ['back', -HOUR],
  ['forward', HOUR],
] as const;

const fixture = useRedisFixture();

afterEach(() => {
  vi.useRealTimers();
});

/**
 * Puts the wall clock on a fake that keeps pace with real time, so it can be stepped with
 * `vi.setSystemTime`; timers, `performance.now()` and sockets stay real.
 */
function flowingWallClock(): void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, advanceTimeDelta: 5 });
}

function stepWallClock(stepMs: number): void {
  vi.setSystemTime(Date.now() + stepMs);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** When `promise` settles, in ms on the steady clock after `from`; `undefined` if not within `limitMs`. */
async function settlesAfter(
  promise: Promise<unknown>,
  from: number,
  limitMs: number,
): Promise<number | undefined> {
  const settled = promise.then(
    () => performance.now() - from,
    () => performance.now() - from,
  );
  return Promise.race([settled, sleep(limitMs).then(() => undefined)]);
}

describe('RedisShardLeases.acquire waiting for a lease held elsewhere', () => {
  it.each(STEPS)(
    'gives up after 2 × ttlMs when the wall clock steps %s an hour during the wait',
    async (_direction, stepMs) => {
      const ttlMs = 300;
      const leases = new RedisShardLeases(fixture.redis(), { ...fixture.namespace(), owner: 'here', ttlMs });
      // Held by a process that never lets it go: the wait ends by giving up.
      await fixture.redis().set(leases.ownerKey(0), 'elsewhere#00000000');
      flowingWallClock();
      const startedAt = performance.now();
      const acquiring = leases.acquire(0, new AbortController().signal);
      acquiring.catch(() => undefined);
      await sleep(50);
      stepWallClock(stepMs);

      const tookMs = await settlesAfter(acquiring, startedAt, 5_000);
      expect(tookMs).toBeDefined();
      expect(tookMs).toBeGreaterThanOrEqual(2 * ttlMs - 10);
      expect(tookMs).toBeLessThan(2 * ttlMs + 1_000);
      await expect(acquiring).rejects.toBeInstanceOf(ShardLeaseError);
      await expect(acquiring).rejects.toThrow(/still held after \d{3,4} ms/);
    },
  );
});

describe('RedisEventConsumer looking for abandoned entries', () => {
  it('still looks every claimIntervalMs after the wall clock steps back an hour', async () => {
    const ns = fixture.namespace();
    const stream = `${ns.prefix}:{${ns.appId}}:events`;
    const redis = fixture.redis();
    await redis.xgroup('CREATE', stream, 'workers', '0', 'MKSTREAM');
    await new RedisEventPublisher(redis, ns).publish(message(1), 0);
    // 'dead' read the event and died with it pending.
    await redis.xreadgroup('GROUP', 'workers', 'dead', 'COUNT', 1, 'STREAMS', stream, '>');

    flowingWallClock();
    const consumer = new RedisEventConsumer(redis, {
      ...ns,
      consumer: 'live',
      blockMs: 50,
      claimIdleMs: 300,
      claimIntervalMs: 200,
    });
    let handled = false;
    const startedAt = performance.now();
    const reports: Error[] = [];
    const running = consumer.start(
      async () => void (handled = true),
      (error) => reports.push(error),
    );
    fixture.track(async () => {
      await consumer.stop();
      await running;
    });
    await sleep(100); // after the first look, which found the entry not idle for long enough yet
    stepWallClock(-HOUR);

    while (!handled && performance.now() - startedAt < 3_000) await sleep(20);
    expect(handled).toBe(true);
    expect(reports).toEqual([]);
  });
});

describe('RedisAvailability', () => {
  it.each(STEPS)(
    'tells how long an outage lasted when the wall clock steps %s an hour during it',
    (_direction, stepMs) => {
      vi.useFakeTimers();
      const client = new EventEmitter();
      const back: number[] = [];
      const availability = new RedisAvailability(client as unknown as Redis, {
        lost: () => undefined,
        back: (downMs) => back.push(downMs),
      });
      client.emit('reconnecting');
      vi.advanceTimersByTime(1_000);
      vi.setSystemTime(Date.now() + stepMs);
      vi.advanceTimersByTime(1_000);
      expect(availability.downMs).toBe(2_000);
      client.emit('ready');
      expect(back).toEqual([2_000]);
      expect(availability.downMs).toBe(2_000);
    },
  );
});

describe("the publisher's feed reporting failed tries", () => {
  it.each(STEPS)(
    'reports at most once per reportIntervalMs, and again after it, when the wall clock steps %s an hour',
    (_direction, stepMs) => {
      vi.useFakeTimers();
      const manager = Object.assign(new EventEmitter(), { shards: new Map() }) as unknown as ShardManager;
      const reports: Error[] = [];
      feedFromManager(
        manager,
        async (_payload, _shardId, options) => {
          options.onRetry?.(new RedisOperationError('publish (retrying)', 0));
          return true;
        },
        (error) => reports.push(error),
        5_000,
      );
      const dispatch = (): boolean => manager.emit('dispatch', message(1), 0);

      dispatch();
      expect(reports).toHaveLength(1);
      vi.setSystemTime(Date.now() + stepMs);
      vi.advanceTimersByTime(4_000);
      dispatch();
      expect(reports).toHaveLength(1);
      vi.advanceTimersByTime(1_000);
      dispatch();
      expect(reports).toHaveLength(2);
    },
  );
});
