/**
 * The `retry` option of the session store, the identify queue and the shard leases is checked
 * when they are built, as the publisher's durations were (its try count now too): a timeout or delay Node's timers cannot hold
 * (`Infinity` to mean "no timeout", 2^31 ms) fires after 1 ms, so every Redis call failed at once
 * with "no answer within Infinity ms"; a try count below 1 or not whole made no try at all.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_DELAY, ValidationError } from '@bot/core';
import {
  RedisEventPublisher,
  RedisIdentifyQueue,
  RedisSessionStore,
  RedisShardLeases,
  type RetryPolicy,
} from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

const builders: [string, (retry: RetryPolicy) => unknown][] = [
  [
    'RedisEventPublisher',
    (retry) => new RedisEventPublisher(fixture.redis(), { ...fixture.namespace(), retry }),
  ],
  ['RedisSessionStore', (retry) => new RedisSessionStore(fixture.redis(), { ...fixture.namespace(), retry })],
  [
    'RedisIdentifyQueue',
    (retry) =>
      new RedisIdentifyQueue(fixture.redis(), {
        ...fixture.namespace(),
        limits: { maxConcurrency: 1, total: 1_000, remaining: 1_000, resetAfterMs: 60_000 },
        retry,
      }),
  ],
  ['RedisShardLeases', (retry) => new RedisShardLeases(fixture.redis(), { ...fixture.namespace(), retry })],
];

function refusal(build: () => unknown): unknown {
  try {
    build();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('retry policies', () => {
  it.each(builders)('%s refuses durations a timer cannot hold, naming the option', (_name, build) => {
    for (const field of ['timeoutMs', 'baseDelayMs', 'maxDelayMs'] as const) {
      for (const ms of [Number.POSITIVE_INFINITY, 2 ** 31, 0, Number.NaN]) {
        const error = refusal(() => build({ [field]: ms }));
        expect(error, `${field}: ${ms}`).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ field: `retry.${field}` });
      }
      expect(refusal(() => build({ [field]: MAX_TIMER_DELAY }))).toBeUndefined();
    }
  });

  it.each(builders)(
    '%s refuses a try count that is not a whole number from 1, and takes Infinity',
    (_name, build) => {
      for (const attempts of [0, -1, 1.5, Number.NaN]) {
        const error = refusal(() => build({ attempts }));
        expect(error, `attempts: ${attempts}`).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ field: 'retry.attempts' });
      }
      expect(refusal(() => build({ attempts: Number.POSITIVE_INFINITY }))).toBeUndefined();
      expect(refusal(() => build({ attempts: 1 }))).toBeUndefined();
    },
  );
});
