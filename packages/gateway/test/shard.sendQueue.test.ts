import { describe, expect, it, vi } from 'vitest';
import { BotError, ValidationError } from '@bot/core';
import { ConnectionClosedError, GatewayError, SendQueueFullError, type SendLimitOptions } from '@bot/gateway';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

describe('Shard.send with a bounded outbound queue', () => {
  it('rejects at once with a SendQueueFullError naming the shard when maxQueued frames wait, and sends the queued ones later', async () => {
    // One ordinary frame per window, already spent by nothing but the budget: identify takes a slot.
    const { shard } = makeShard(fake.gateway.url, {
      sendLimit: { limit: 6, reserved: 5, windowMs: 10_000, maxQueued: 2 },
    });
    await shard.start();
    const presence = { op: 3, d: { status: 'online' } };
    const queued = [shard.send(presence), shard.send(presence)];

    const refused = await shard.send(presence).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SendQueueFullError);
    expect(refused).toMatchObject({ shardId: 0, maxQueued: 2 });
    expect((refused as Error).message).toMatch(/^shard 0: the outbound queue is full/);

    await advanceUntil(() => fake.gateway.received(3).length === 2, 30_000, 1_000);
    await Promise.all(queued);
    await shard.close();
  });

  it('rejects a frame still queued when the connection ends with a gateway-kind error saying to send it again', async () => {
    const { shard } = makeShard(fake.gateway.url, {
      sendLimit: { limit: 6, reserved: 5, windowMs: 10_000, maxQueued: 2 },
    });
    await shard.start();
    // Identify spent the one ordinary slot of the window: this frame waits in the queue.
    const queued = shard.send({ op: 3, d: { status: 'online' } }).catch((error: unknown) => error);
    fake.gateway.last.socket.terminate();

    const failure = await queued;
    expect(failure).toBeInstanceOf(GatewayError);
    const closed = (failure as Error).cause;
    expect(closed).toBeInstanceOf(ConnectionClosedError);
    expect(closed).toBeInstanceOf(BotError);
    expect(closed).toMatchObject({ kind: 'gateway' });
    expect((closed as Error).message).toMatch(
      /^gateway connection closed before the frame was sent \(.+\); it was not sent: send it again once the shard is ready/,
    );
    expect(fake.gateway.received(3)).toHaveLength(0);
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
      expect(() => makeShard(fake.gateway.url, { sendLimit })).toThrow(ValidationError);
      expect(() => makeShard(fake.gateway.url, { sendLimit })).toThrow(expect.objectContaining({ field }));
    },
  );
});

describe('Shard.send on a closing socket', () => {
  it('rejects a frame the socket can no longer take, and heartbeats due meanwhile throw nothing', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { shard } = makeShard(fake.gateway.url);
    await shard.start();
    // The server starts the closing handshake and then reads nothing: the shard's socket stays
    // closing (its answer unread) until ws gives up on the handshake.
    const server = fake.gateway.last;
    server.socket.close(4009);
    server.socket.pause();
    await advanceBy(500, 50);
    expect(shard.state).toBe('ready');

    const failure = await shard.send({ op: 3, d: { status: 'online' } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as Error).cause).toMatchObject({
      name: 'ConnectionClosedError',
      message: expect.stringMatching(/gateway connection closed before the frame was sent/),
    });
    // The first heartbeat falls due (half an interval in) while the socket is still closing.
    await advanceBy(25_000, 1_000);
    await shard.close();
  });
});
