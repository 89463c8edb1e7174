/**
 * `start()` called while `close()` is still running (a supervisor restarting a shard without
 * awaiting its close) is refused at once, saying to start it again once the close has resolved.
 * Before, it handed back the promise of the run being closed, already resolved at its READY, and
 * the caller was told the shard had started while it ended closed.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '@bot/gateway';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fakeGateway = useFakeGateway();

describe('start() during close()', () => {
  it('is refused with a GatewayError saying what to do, and starting once the close resolved works', async () => {
    const fake = fakeGateway.gateway;
    const { shard } = makeShard(fake.url);
    const first = shard.start();
    await advanceUntil(() => shard.state === 'ready', 10_000);
    await first;

    let closed = false;
    const closing = shard.close().then(() => (closed = true));
    const refused = await shard.start().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as Error).message).toBe('shard 0: is closing: start it again once close() has resolved');
    await advanceUntil(() => closed, 10_000);
    await closing;
    expect(shard.state).toBe('closed');

    const again = shard.start();
    await advanceUntil(() => shard.state === 'ready', 10_000);
    await again;
    expect(fake.connections).toHaveLength(2);
    await shard.close();
  });
});
