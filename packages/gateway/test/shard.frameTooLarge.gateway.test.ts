/** End to end: a frame over maxPayload after every READY, replayed after every resume. */
import { describe, expect, it } from 'vitest';
import { FatalGatewayError, type GatewayError } from '@bot/gateway';
import { FrameTooLargeError } from '../src/errors/FrameTooLargeError.js';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

describe('a frame over maxPayload after every READY, against a gateway', () => {
  const fake = useFakeGateway();

  it('is reported naming the limit; resumed, identified past once, then the shard stops', async () => {
    const { gateway } = fake;
    // Kept in the session's history, so the resume's replay sends it again.
    gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op === 2) frame.connection.dispatch('AT_MESSAGE_CREATE', { content: 'x'.repeat(4_000) });
    });
    const { shard } = makeShard(gateway.url, { maxPayload: 2_048 });
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    await shard.start();
    await advanceUntil(() => shard.state === 'fatal', 10 * 60_000, 500);

    const reports = errors.filter((error): error is GatewayError => error instanceof FrameTooLargeError);
    expect(reports.map((report) => report.message)).toEqual([
      expect.stringMatching(
        /^shard 0: received a frame larger than maxPayload \(2048 bytes\).*1 in a row; reconnecting/,
      ),
      expect.stringMatching(/2 in a row; identifying, so that a new session starts past it/),
    ]);
    expect(shard.fatalError).toBeInstanceOf(FatalGatewayError);
    expect(shard.fatalError).toMatchObject({ code: 1009 });
    expect(shard.fatalError?.message).toContain('Raise the maxPayload option');
    await advanceBy(10 * 60_000, 5_000);
    expect(gateway.received(2)).toHaveLength(2);
    expect(gateway.received(6)).toHaveLength(1);
  });
});
