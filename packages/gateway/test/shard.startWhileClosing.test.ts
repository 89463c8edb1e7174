/**
 * `start()` called while `close()` is still running (a supervisor restarting a shard without
 * awaiting its close) must start the shard again once the close is done, not hand back the promise
 * of the run being closed, which already resolved at its READY, and leave the shard closed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceUntil, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await gateway?.close();
  gateway = undefined;
});

describe('start() during close()', () => {
  it('starts the shard again once the close is done, and resolves at the new READY', async () => {
    useFakeClock();
    const fake = await FakeGateway.start();
    gateway = fake;
    const { shard } = makeShard(fake.url);
    const first = shard.start();
    await advanceUntil(() => shard.state === 'ready', 10_000);
    await first;

    const closing = shard.close();
    let restarted = false;
    const again = shard.start().then(() => (restarted = true));
    await advanceUntil(() => restarted, 10_000);
    await closing;
    await again;

    expect(shard.state).toBe('ready');
    expect(fake.connections).toHaveLength(2);
    await shard.close();
    expect(shard.state).toBe('closed');
  });

  it('gives way to a close called after it: the start rejects and the shard stays closed', async () => {
    useFakeClock();
    const fake = await FakeGateway.start();
    gateway = fake;
    const { shard } = makeShard(fake.url);
    const first = shard.start();
    await advanceUntil(() => shard.state === 'ready', 10_000);
    await first;

    const closing = shard.close();
    const again = shard.start().catch((e: unknown) => e);
    const closingAgain = shard.close();
    await advanceUntil(() => shard.state === 'closed', 10_000);
    await Promise.all([closing, closingAgain]);

    const error = await again;
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as Error).message).toContain('closed before it became ready');
    expect(shard.state).toBe('closed');
    expect(fake.connections).toHaveLength(1);
  });
});
