import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@bot/http';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceUntil, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;

beforeEach(async () => {
  useFakeClock();
  vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
  gateway = await FakeGateway.start({ heartbeatInterval: 40_000 });
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await gateway.close();
});

/** A logger at the default level (info) whose lines are kept as `LEVEL message`. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger('test');
  logger.settings.type = 'hidden';
  logger.attachTransport((record) => {
    lines.push(`${String(record['_meta']?.logLevelName)} ${String(record['0'])}`);
  });
  return { logger, lines };
}

describe('Shard logging at the default level', () => {
  it('tells an outage as it happens: the disconnect, each failed retry with its wait, and the recovery', async () => {
    const { logger, lines } = capturingLogger();
    const { shard } = makeShard(gateway.url, {
      logger,
      timeouts: { helloMs: 1_000 },
      backoff: { baseMs: 1_000, maxMs: 4_000 },
    });
    await shard.start();
    expect(lines).toEqual([]); // a healthy start says nothing above debug

    gateway.options.hello = false; // the gateway accepts sockets but never greets
    gateway.last.close(4009);
    await advanceUntil(() => gateway.connections.length === 4, 30_000, 50);
    gateway.options.hello = true;
    await advanceUntil(() => shard.state === 'ready' && gateway.received(6).length === 1, 30_000, 50);

    expect(lines).toEqual([
      'INFO disconnected: closed with 4009 (connection expired); resuming in 0 ms',
      'WARN reconnect attempt 1 failed: no Hello in time; resuming in 1000 ms',
      'WARN reconnect attempt 2 failed: no Hello in time; resuming in 2000 ms',
      'WARN reconnect attempt 3 failed: no Hello in time; resuming in 4000 ms',
      expect.stringMatching(/^INFO resumed after 4 attempts \/ 1[0-9]\.\d s$/),
    ]);
    await shard.close();
  });

  it('keeps frame-level detail at debug', async () => {
    const { logger, lines } = capturingLogger();
    const { shard } = makeShard(gateway.url, { logger });
    await shard.start();
    for (let seq = 0; seq < 20; seq++) gateway.last.dispatch('AT_MESSAGE_CREATE');
    gateway.last.send({ op: 1 });
    await advanceUntil(() => shard.status().seq === 21, 1_000);
    expect(lines).toEqual([]);
    await shard.close();
  });
});
