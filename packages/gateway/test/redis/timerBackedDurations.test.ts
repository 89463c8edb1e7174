/**
 * Durations that drive a timer are refused when the timer cannot hold them: the session store
 * refreshes its TTLs every `ttlMs / 3` and the identify queue renews its waiters' leases every
 * `leaseMs / 3`, and Node runs an interval over 2^31-1 ms every millisecond: a session TTL of
 * `Number.MAX_SAFE_INTEGER` ("never expire") sent a PEXPIRE pipeline to Redis every millisecond.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_DELAY, ValidationError } from '@bot/core';
import { RedisIdentifyQueue, RedisSessionStore } from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

const limits = { maxConcurrency: 1, total: 1_000, remaining: 1_000, resetAfterMs: 60_000 };

function refusal(build: () => unknown): unknown {
  try {
    build();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('durations behind a timer', () => {
  it('RedisSessionStore refuses a ttlMs whose refresh interval a timer cannot hold, and takes the longest one', () => {
    const build = (ttlMs: number) => () =>
      new RedisSessionStore(fixture.redis(), { ...fixture.namespace(), ttlMs });
    for (const ttlMs of [Number.MAX_SAFE_INTEGER, 3 * MAX_TIMER_DELAY + 3]) {
      const error = refusal(build(ttlMs));
      expect(error, `ttlMs: ${ttlMs}`).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'ttlMs' });
    }
    expect(refusal(build(3 * MAX_TIMER_DELAY))).toBeUndefined();
  });

  it('RedisIdentifyQueue refuses a leaseMs whose renewal interval a timer cannot hold, and takes the longest one', () => {
    const build = (leaseMs: number) => () =>
      new RedisIdentifyQueue(fixture.redis(), { ...fixture.namespace(), limits, leaseMs });
    for (const leaseMs of [Number.MAX_SAFE_INTEGER, 3 * MAX_TIMER_DELAY + 3]) {
      const error = refusal(build(leaseMs));
      expect(error, `leaseMs: ${leaseMs}`).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'leaseMs' });
    }
    expect(refusal(build(3 * MAX_TIMER_DELAY))).toBeUndefined();
  });
});
