/**
 * A `retry` policy field given as an explicit `undefined` (a bot forwarding an unset config value)
 * keeps the publisher's own default, as leaving it out does: `attempts` stays unbounded.
 */
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventPublisher, type RedisOperationError, connectRedis } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { useRedisFixture } from './support/redisFixture.js';
import { RedisServer } from './support/redisServer.js';
import { until } from './support/until.js';

const { namespace, track } = useRedisFixture();

const message = (n: number): DispatchPayload => ({
  op: 0,
  id: `AT_MESSAGE_CREATE:${n}`,
  s: n,
  t: 'AT_MESSAGE_CREATE',
  d: { content: `#${n}` },
});

describe('RedisEventPublisher retry given with undefined fields', () => {
  it('keeps retrying a refused write past the 3 tries of a Redis operation, as with attempts left out', async () => {
    const server = await RedisServer.start();
    track(() => server.stop());
    const connection = await connectRedis(server.url, { logger: silentLogger() });
    track(() => connection.disconnect());
    const publisher = new RedisEventPublisher(connection, {
      ...namespace(),
      retry: { attempts: undefined, baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 2_000 },
    });
    await connection.config('SET', 'maxmemory', '1');
    const retries: RedisOperationError[] = [];
    const publishing = publisher.publish(message(1), 0, { onRetry: (retry) => retries.push(retry) });
    let outcome: 'published' | 'gave up' | undefined;
    void publishing.then(
      () => (outcome = 'published'),
      () => (outcome = 'gave up'),
    );
    // With attempts undefined standing for the 3 tries of a Redis operation it gives up after 2 retries.
    await until(() => retries.length >= 5 || outcome !== undefined, 'five refused tries, or an outcome');
    expect(outcome).toBeUndefined();
    expect(retries.length).toBeGreaterThanOrEqual(5);
    await connection.config('SET', 'maxmemory', '0');
    expect(await publishing).toBe(true);
  });
});
