/** End to end: op 9 after every READY is reported each time once the loop emits plan.report. */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '@bot/gateway';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

describe('op 9 right after every READY, reported', () => {
  const fake = useFakeGateway();

  it('reports each invalidation with its count', async () => {
    const { gateway } = fake;
    gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op === 2) frame.connection.send({ op: 9, d: false });
    });
    const { shard } = makeShard(gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    await shard.start();
    await advanceUntil(() => errors.length === 5, 10 * 60_000, 500);
    const reports = errors.filter((error) => /soon after the session started/.test(error.message));
    expect(reports.map((error) => error.message.match(/(\d) in a row/)?.[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    for (const report of reports) expect(report).toBeInstanceOf(GatewayError);
    await shard.close();
  });
});
