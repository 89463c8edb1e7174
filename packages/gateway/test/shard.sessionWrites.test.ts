import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemorySessionStore, type Shard, SessionWriteTimeoutError } from '@bot/gateway';
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

/** A session store whose writes never answer. */
class SilentWrites extends InMemorySessionStore {
  public override set(): Promise<void> {
    return new Promise<never>(() => undefined);
  }
}

function timeoutsOf(shard: Shard): SessionWriteTimeoutError[] {
  const errors: SessionWriteTimeoutError[] = [];
  shard.on('error', (error) => {
    if (error instanceof SessionWriteTimeoutError) errors.push(error);
  });
  return errors;
}

describe('Shard session writes', () => {
  it('reports the READY write a store does not answer within timeouts.sessionStoreMs as a SessionWriteTimeoutError', async () => {
    const { shard } = makeShard(gateway.url, {
      sessionStore: new SilentWrites(),
      timeouts: { sessionStoreMs: 1_000 },
    });
    const errors = timeoutsOf(shard);
    await shard.start();

    await advanceUntil(() => errors.length > 0, 3_000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ operation: 'set', timeoutMs: 1_000, shardId: 0, reachedStore: true });
    expect(shard.state).toBe('ready');
    let closed = false;
    void shard.close({ graceMs: 500 }).then(() => (closed = true));
    await advanceUntil(() => closed, 2_000);
  });
});
