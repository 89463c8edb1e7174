import { describe, expect, it } from 'vitest';
import { GatewayError, InMemorySessionStore, type Shard, SessionWriteTimeoutError } from '@bot/gateway';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

/** A session store whose deletes never answer. */
class SilentDeletes extends InMemorySessionStore {
  public override delete(): Promise<void> {
    return new Promise<never>(() => undefined);
  }
}

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
    const { shard } = makeShard(fake.gateway.url, {
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

  it('reports a delete of an invalidated session that never answers once, not once per layer that waited for it', async () => {
    const { shard } = makeShard(fake.gateway.url, { sessionStore: new SilentDeletes() });
    const errors: GatewayError[] = [];
    shard.on('error', (error) => {
      if (error instanceof GatewayError) errors.push(error);
    });
    await shard.start();

    fake.gateway.last.send({ op: 9, d: false });
    await advanceUntil(() => fake.gateway.received(2).length === 2 && shard.state === 'ready', 20_000);
    await advanceBy(1_000);
    const aboutTheDelete = errors.filter((error) => error.message.includes('delete'));
    expect(aboutTheDelete.map((error) => error.message)).toEqual([
      'shard 0: the session store did not answer delete (forgetting the invalidated session) within 5000 ms; going on without it',
    ]);
    let closed = false;
    void shard.close({ graceMs: 500 }).then(() => (closed = true));
    await advanceUntil(() => closed, 2_000);
  });
});
