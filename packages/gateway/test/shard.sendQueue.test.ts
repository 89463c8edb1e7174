import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/core';
import { SendQueueFullError, type SendLimitOptions } from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceUntil, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;

beforeEach(async () => {
  useFakeClock();
  gateway = await FakeGateway.start({ heartbeatInterval: 40_000 });
});

afterEach(async () => {
  vi.useRealTimers();
  await gateway.close();
});

describe('Shard.send with a bounded outbound queue', () => {
  it('rejects at once with a SendQueueFullError naming the shard when maxQueued frames wait, and sends the queued ones later', async () => {
    // One ordinary frame per window, already spent by nothing but the budget: identify takes a slot.
    const { shard } = makeShard(gateway.url, {
      sendLimit: { limit: 6, reserved: 5, windowMs: 10_000, maxQueued: 2 },
    });
    await shard.start();
    const presence = { op: 3, d: { status: 'online' } };
    const queued = [shard.send(presence), shard.send(presence)];

    const refused = await shard.send(presence).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SendQueueFullError);
    expect(refused).toMatchObject({ shardId: 0, maxQueued: 2 });
    expect((refused as Error).message).toMatch(/^shard 0: the outbound queue is full/);

    await advanceUntil(() => gateway.received(3).length === 2, 30_000, 1_000);
    await Promise.all(queued);
    await shard.close();
  });

  it.each([
    [{ maxQueued: 0 }, 'sendLimit.maxQueued'],
    [{ maxQueued: 1.5 }, 'sendLimit.maxQueued'],
    [{ limit: 0 }, 'sendLimit.limit'],
    [{ limit: 10, reserved: 10 }, 'sendLimit.reserved'],
    [{ windowMs: 0 }, 'sendLimit.windowMs'],
  ] as [SendLimitOptions, string][])(
    'refuses sendLimit %o when the shard is built, naming %s',
    (sendLimit, field) => {
      expect(() => makeShard(gateway.url, { sendLimit })).toThrow(ValidationError);
      expect(() => makeShard(gateway.url, { sendLimit })).toThrow(expect.objectContaining({ field }));
    },
  );
});
