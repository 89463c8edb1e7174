/**
 * A manager tells its shards the bot's daily budget of session starts (`session_start_limit.total`
 * of `/gateway/bot`), which sets their pause after sessions ended by op 9. Shards on worker
 * threads were not told and paused by a budget of 1,000. The first op 9 report names the pause
 * to come, so it shows the budget the shard on the thread was given without waiting for the pause.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShardManager, workerThreads } from '@bot/gateway';
import { FakeGateway, type FakeConnection } from '../support/FakeGateway.js';
import { FakeGatewayInfo } from '../support/gatewayInfo.js';
import { FakeTokens, silentLogger } from '../support/harness.js';
import { WAIT } from './support/waits.js';

let gateway: FakeGateway | undefined;
let manager: ShardManager | undefined;

afterEach(async () => {
  await manager?.shutdownAll();
  await gateway?.close();
  manager = undefined;
  gateway = undefined;
});

describe('a manager whose shards run on worker threads', () => {
  it('gives them the session start total /gateway/bot answered', async () => {
    gateway = await FakeGateway.start({ heartbeatInterval: 40_000 });
    gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op === 2) setTimeout(() => frame.connection.send({ op: 9, d: false }), 200);
    });
    const info = new FakeGatewayInfo(gateway.url, {
      total: 5_000,
      remaining: 5_000,
      reset_after: 86_400_000,
      max_concurrency: 1,
    });
    manager = new ShardManager({
      intents: 1 << 30,
      tokens: new FakeTokens(),
      gateway: info,
      logger: silentLogger(),
      strategy: workerThreads({ workers: 1, maxRestarts: 0 }),
    });
    const errors: string[] = [];
    manager.on('error', (error) => errors.push(error.message));
    void manager.startShard(3, 20).catch(() => undefined);
    await vi.waitFor(() => expect(errors).not.toHaveLength(0), WAIT);
    // 20 × 24 h / (5,000 / 2) is 11.5 minutes; a budget of 1,000 gave 57.6.
    expect(errors[0]).toMatch(/invalid session \(op 9\).*identifies every 12 minutes/);
  });
});
