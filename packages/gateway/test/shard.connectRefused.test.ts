import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShardCloseEvent } from '../src/shard/ShardState.js';
import { describeConnectError } from '../src/shard/connectError.js';
import { closedPort } from './support/closedPort.js';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceUntil, capturingLogger, makeShard, useFakeClock } from './support/harness.js';

beforeEach(() => {
  useFakeClock();
  vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('Shard connecting to a port nobody listens on', () => {
  it('says each attempt was refused, naming the error, instead of a lost connection (1006)', async () => {
    const port = await closedPort();
    const { logger, lines } = capturingLogger();
    const { shard } = makeShard(`ws://127.0.0.1:${port}/websocket`, {
      logger,
      backoff: { baseMs: 1_000, maxMs: 4_000 },
    });
    const reasons: string[] = [];
    const connectErrors: (string | undefined)[] = [];
    shard.on('close', (event) => {
      reasons.push(event.reason);
      connectErrors.push(event.connectError);
    });
    const started = shard.start().catch((error: unknown) => error);
    await advanceUntil(() => lines.length >= 2, 30_000, 50);
    await shard.close();
    await started;

    const refused = `could not connect (connect ECONNREFUSED 127.0.0.1:${port}); the socket never opened`;
    expect(lines.slice(0, 2)).toEqual([
      `WARN reconnect attempt 1 failed: ${refused}; identifying in 0 ms`,
      `WARN reconnect attempt 2 failed: ${refused}; identifying in 1000 ms`,
    ]);
    expect(reasons.slice(0, 2)).toEqual([refused, refused]);
    const error = `connect ECONNREFUSED 127.0.0.1:${port}`;
    expect(connectErrors.slice(0, 2)).toEqual([error, error]);
  });

  it('tells a lost connection apart from the refused retries once the gateway stops', async () => {
    const gateway = await FakeGateway.start();
    const port = new URL(gateway.url).port;
    const { logger, lines } = capturingLogger();
    const { shard } = makeShard(gateway.url, { logger, backoff: { baseMs: 1_000, maxMs: 4_000 } });
    const closes: ShardCloseEvent[] = [];
    shard.on('close', (event) => closes.push(event));
    await shard.start();

    await gateway.close(); // its sockets cut without a close frame, its port closed
    await advanceUntil(() => lines.length >= 2, 30_000, 50);
    await shard.close();

    expect(lines.slice(0, 2)).toEqual([
      'INFO disconnected: closed with 1006 (connection lost without a close frame); resuming in 0 ms',
      `WARN reconnect attempt 1 failed: could not connect (connect ECONNREFUSED 127.0.0.1:${port}); the socket never opened; resuming in 1000 ms`,
    ]);
    expect(closes[0]).toEqual({
      code: 1006,
      reason: 'closed with 1006 (connection lost without a close frame)',
      next: 'resume',
      delayMs: 0,
      session: { sessionId: 'session-1', seq: 1 },
    });
    expect(closes[1]).toMatchObject({ code: 1006, connectError: `connect ECONNREFUSED 127.0.0.1:${port}` });
  });
});

describe('describeConnectError', () => {
  it('adds the system error code when the message does not name it (TLS)', () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(describeConnectError(tls)).toBe('self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
  });

  it('keeps a message that names its code, or has none, as it is', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND gateway.invalid'), { code: 'ENOTFOUND' });
    expect(describeConnectError(dns)).toBe('getaddrinfo ENOTFOUND gateway.invalid');
    expect(describeConnectError(new Error('Opening handshake has timed out'))).toBe(
      'Opening handshake has timed out',
    );
  });

  it('describes each address a host with several addresses refused (AggregateError), once each', () => {
    const refused = (address: string): Error =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}:1`), { code: 'ECONNREFUSED' });
    const both = new AggregateError([refused('::1'), refused('127.0.0.1'), refused('::1')], '');
    expect(describeConnectError(Object.assign(both, { code: 'ECONNREFUSED' }))).toBe(
      'connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('falls back to the code, then the name, when the message is empty', () => {
    expect(describeConnectError(Object.assign(new Error(''), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(describeConnectError(new TypeError(''))).toBe('TypeError');
  });
});
