import { beforeEach, describe, expect, it, vi } from 'vitest';
import { advanceUntil, makeShard, capturingLogger } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
});

describe('Shard logging at the default level', () => {
  it('tells an outage as it happens: the disconnect, each failed retry with its wait, and the recovery', async () => {
    const { logger, lines } = capturingLogger();
    const { shard } = makeShard(fake.gateway.url, {
      logger,
      timeouts: { helloMs: 1_000 },
      backoff: { baseMs: 1_000, maxMs: 4_000 },
    });
    await shard.start();
    expect(lines).toEqual([]); // a healthy start says nothing above debug

    fake.gateway.options.hello = false; // the gateway accepts sockets but never greets
    fake.gateway.last.close(4009);
    await advanceUntil(() => fake.gateway.connections.length === 4, 30_000, 50);
    fake.gateway.options.hello = true;
    await advanceUntil(() => shard.state === 'ready' && fake.gateway.received(6).length === 1, 30_000, 50);

    expect(lines).toEqual([
      'INFO disconnected: closed with 4009 (connection expired); resuming in 0 ms',
      'WARN reconnect attempt 1 failed: no Hello in time; resuming in 1000 ms',
      'WARN reconnect attempt 2 failed: no Hello in time; resuming in 2000 ms',
      'WARN reconnect attempt 3 failed: no Hello in time; resuming in 4000 ms',
      expect.stringMatching(/^INFO resumed after 4 attempts \/ 1[0-9]\.\d s$/),
    ]);
    await shard.close();
  });

  it('tells how long recovery took on the steady clock, not counting a wall-clock step forward', async () => {
    const { logger, lines } = capturingLogger();
    const { shard } = makeShard(fake.gateway.url, {
      logger,
      timeouts: { helloMs: 1_000 },
      backoff: { baseMs: 1_000, maxMs: 4_000 },
    });
    await shard.start();
    fake.gateway.options.hello = false;
    fake.gateway.last.close(4009);
    await advanceUntil(() => fake.gateway.connections.length === 3, 30_000, 50);
    vi.setSystemTime(Date.now() + 3_600_000);
    fake.gateway.options.hello = true;
    await advanceUntil(() => shard.state === 'ready' && fake.gateway.received(6).length === 1, 30_000, 50);

    expect(lines.at(-1)).toMatch(/^INFO resumed after 3 attempts \/ [0-9]\.\d s$/);
    await shard.close();
  });

  it('keeps frame-level detail at debug', async () => {
    const { logger, lines } = capturingLogger();
    const { shard } = makeShard(fake.gateway.url, { logger });
    await shard.start();
    for (let seq = 0; seq < 20; seq++) fake.gateway.last.dispatch('AT_MESSAGE_CREATE');
    fake.gateway.last.send({ op: 1 });
    await advanceUntil(() => shard.status().seq === 21, 1_000);
    expect(lines).toEqual([]);
    await shard.close();
  });
});
