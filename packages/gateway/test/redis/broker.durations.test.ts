/**
 * Every timing of the broker is a duration Node's timers can hold: a longer one would fire after
 * 1 ms (a trim every millisecond, a read that times out at once), so it is refused up front,
 * naming the option.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_DELAY, ValidationError } from '@bot/core';
import { RedisEventConsumer, RedisEventPublisher } from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

type Build = (ms: number) => unknown;

const options: [string, Build][] = [
  [
    'trimIntervalMs',
    (ms) => new RedisEventPublisher(fixture.redis(), { ...fixture.namespace(), trimIntervalMs: ms }),
  ],
  [
    'retry.timeoutMs',
    (ms) => new RedisEventPublisher(fixture.redis(), { ...fixture.namespace(), retry: { timeoutMs: ms } }),
  ],
  [
    'retry.maxDelayMs',
    (ms) => new RedisEventPublisher(fixture.redis(), { ...fixture.namespace(), retry: { maxDelayMs: ms } }),
  ],
  [
    'retry.baseDelayMs',
    (ms) => new RedisEventPublisher(fixture.redis(), { ...fixture.namespace(), retry: { baseDelayMs: ms } }),
  ],
  [
    'claimIdleMs',
    (ms) => new RedisEventConsumer(fixture.redis(), { ...fixture.namespace(), claimIdleMs: ms }),
  ],
  [
    'claimIntervalMs',
    (ms) => new RedisEventConsumer(fixture.redis(), { ...fixture.namespace(), claimIntervalMs: ms }),
  ],
  ['blockMs', (ms) => new RedisEventConsumer(fixture.redis(), { ...fixture.namespace(), blockMs: ms })],
  [
    'readTimeoutMs',
    (ms) => new RedisEventConsumer(fixture.redis(), { ...fixture.namespace(), readTimeoutMs: ms }),
  ],
  [
    'backoff.baseMs',
    (ms) => new RedisEventConsumer(fixture.redis(), { ...fixture.namespace(), backoff: { baseMs: ms } }),
  ],
  [
    'backoff.maxMs',
    (ms) => new RedisEventConsumer(fixture.redis(), { ...fixture.namespace(), backoff: { maxMs: ms } }),
  ],
];

describe('broker timings', () => {
  it.each(options)(
    '%s: refuses 2^31 ms and 0 ms naming the option, accepts the longest timer',
    (name, build) => {
      for (const ms of [2 ** 31, 0, Number.NaN]) {
        const refusal = (() => {
          try {
            build(ms);
            return undefined;
          } catch (error) {
            return error;
          }
        })();
        expect(refusal).toBeInstanceOf(ValidationError);
        expect((refusal as Error).message).toContain(name);
      }
      expect(() => build(MAX_TIMER_DELAY)).not.toThrow();
    },
  );
});
