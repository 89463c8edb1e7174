import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceBy, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;

beforeEach(async () => {
  useFakeClock();
  gateway = await FakeGateway.start({ heartbeatInterval: 40_000 });
});

afterEach(async () => {
  vi.useRealTimers();
  await gateway.close();
});

describe('Shard Hello handling', () => {
  it('ignores and reports a second Hello on one connection: one Identify, one heartbeat schedule', async () => {
    const { shard } = makeShard(gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    await shard.start();

    gateway.last.hello(40_000);
    await advanceBy(10_000, 250);

    expect(gateway.received(2)).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([
      'shard 0: received a second Hello on one connection; ignored it',
    ]);
    expect(shard.state).toBe('ready');
    await shard.close();
  });
});
