/**
 * The warning of a lease renewal made while the client reconnects says what happened, not the
 * client's advice-like text about its offline queue (which docs/redis-deployment.md says to keep
 * off). docs/redis-deployment.md, "One process per shard".
 */
import { describe, expect, it } from 'vitest';
import { connectRedis } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { allReady, gatewayProcess, leasePlatform, SHARDS } from './support/leaseProcesses.js';
import { redisUrl } from './support/redis.js';
import { useRedisFixture } from './support/redisFixture.js';
import { StallingLink } from './support/StallingLink.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

describe('RedisShardLeases: a renewal while Redis is unreachable', () => {
  it('warns "not connected (the client is reconnecting)", once', async () => {
    const emulator = await leasePlatform(fixture);
    const link = await StallingLink.open(Number(new URL(redisUrl()).port));
    // As a process connects: no offline queue, so commands fail while the client reconnects.
    const connection = await connectRedis(link.url, { retryStrategy: () => 50, logger: silentLogger() });
    fixture.track(
      () => connection.disconnect(),
      () => link.close(),
    );
    const process = gatewayProcess(fixture, emulator, fixture.namespace(), { ttlMs: 300 }, connection);
    void process.manager.startShard(1, SHARDS).catch(() => undefined);
    await until(() => allReady(process.manager, 1), 'the shard ready');

    await link.close(); // connections dropped, new ones refused
    await until(() => process.warnings().length > 0, 'the warning');
    await new Promise((resolve) => setTimeout(resolve, 500)); // a few more renewals fail

    expect(process.warnings()).toEqual([
      expect.stringContaining(
        'could not renew the lease of shard 1: not connected (the client is reconnecting)',
      ),
    ]);
    expect(process.warnings()[0]).not.toContain('enableOfflineQueue');
    expect(allReady(process.manager, 1)).toBe(true);
  });
});
