import { describe, expect, it } from 'vitest';
import { GatewayError, type DispatchPayload } from '@bot/gateway';
import { SEQ_REPORTS_PER_CONNECTION } from '../src/shard/SequenceCheck.js';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

/*
 * A server sending thousands of dispatches whose seq is behind, far ahead or not a number cannot
 * flood `error` listeners: the first few of each kind on a connection are reported in full, the
 * rest counted and reported once, as a count, when the connection ends.
 */
/** A dispatch frame numbered `s`, with an id naming its place in the flood. */
function event(s: unknown, id: string): string {
  return JSON.stringify({ op: 0, s, t: 'AT_MESSAGE_CREATE', id, d: { id } });
}

describe('a flood of dispatches with a wrong seq', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  it('reports the first few of each kind, then one count per connection when it ends', async () => {
    const { gateway } = fake;
    const { shard } = makeShard(gateway.url);
    const dispatched: DispatchPayload[] = [];
    const errors: Error[] = [];
    shard.on('dispatch', (payload) => dispatched.push(payload));
    shard.on('error', (error) => errors.push(error));
    await shard.start();

    const first = gateway.last;
    first.send(event(10, 'ten'));
    for (let i = 0; i < 20_000; i++) first.send(event(5, `behind-${i}`));
    for (let i = 0; i < 2_000; i++) first.send(event(Number.MAX_SAFE_INTEGER, `ahead-${i}`));
    for (let i = 0; i < 2_000; i++) first.send(event('bad', `invalid-${i}`));
    first.send(event(11, 'eleven'));
    await advanceUntil(() => dispatched.some((payload) => payload.id === 'eleven'), 30_000);

    // Far-ahead and invalid ones are delivered; the ones behind are dropped.
    expect(dispatched).toHaveLength(1 + 1 + 2_000 + 2_000 + 1);
    const n = SEQ_REPORTS_PER_CONNECTION;
    expect(errors).toHaveLength(3 * n);
    expect(errors.every((error) => error instanceof GatewayError)).toBe(true);
    const messages = errors.map((error) => error.message);
    expect(messages.filter((m) => /dropped dispatch .* \(id behind-\d+\) with seq 5/.test(m))).toHaveLength(
      n,
    );
    expect(messages.filter((m) => /\(id ahead-\d+\) carried seq 9007199254740991/.test(m))).toHaveLength(n);
    expect(messages.filter((m) => /carried an invalid seq \(a string/.test(m))).toHaveLength(n);
    // The last reported in full says the rest are counted.
    expect(messages.filter((m) => /later ones on this connection are counted/.test(m))).toHaveLength(3);
    expect(shard.status().seq).toBe(11);

    // The connection ends: the counts are reported once, in one error.
    errors.length = 0;
    first.close(4009);
    const second = await gateway.nextConnection();
    await advanceUntil(() => errors.length > 0, 5_000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GatewayError);
    expect(errors[0]?.message).toMatch(
      new RegExp(
        `^shard 0: counted without a report each on the connection that ended: ` +
          `${20_000 - n} dispatches at or behind the last seq read outside a resume's replay \\(dropped\\), ` +
          `${2_000 - n} more than 1000 past it \\(delivered\\), ${2_000 - n} with an invalid seq \\(delivered\\)`,
      ),
    );

    // A new connection counts afresh: its first is reported in full again.
    await advanceUntil(() => shard.status().state === 'ready', 5_000);
    errors.length = 0;
    second.send(event(3, 'behind-again'));
    second.send(event(100, 'hundred'));
    await advanceUntil(() => dispatched.some((payload) => payload.id === 'hundred'), 5_000);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/dropped dispatch AT_MESSAGE_CREATE \(id behind-again\) with seq 3/),
    ]);
    await shard.close();
  });
});
