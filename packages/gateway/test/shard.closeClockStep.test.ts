import { describe, expect, it, vi } from 'vitest';
import { InMemorySessionStore, type SessionInfo } from '@bot/gateway';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

// A close waits for its closing handshake and its session write at most its grace, measured on
// the steady clock: a wall clock stepped back an hour during the close (a time sync) must not hold
// a shutdown for that hour, and one stepped forward must not cut the grace short.

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

/** A session store whose deletes never answer, so later writes queue behind them. */
class StuckDeletes extends InMemorySessionStore {
  public override delete(): Promise<void> {
    return new Promise<never>(() => undefined);
  }
}

/** A session store whose writes take 300 ms. */
class SlowWrites extends InMemorySessionStore {
  public override async set(shardId: number, session: SessionInfo): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await super.set(shardId, session);
  }
}

describe('Shard.close() across a wall-clock step', () => {
  it('is over within its grace after a step back', async () => {
    const { shard } = makeShard(fake.gateway.url, { sessionStore: new StuckDeletes() });
    await shard.start();
    fake.gateway.last.send({ op: 9, d: false });
    await advanceUntil(() => fake.gateway.received(2).length === 2 && shard.state === 'ready', 20_000);

    let closed = false;
    void shard.close({ graceMs: 1_000 }).then(() => (closed = true));
    vi.setSystemTime(Date.now() - 3_600_000);
    await advanceUntil(() => closed, 2_000);
    expect(shard.state).toBe('closed');
  });

  it('waits out its grace for the session write after a step forward', async () => {
    const store = new SlowWrites();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    await shard.start();
    fake.gateway.last.dispatch('MESSAGE_CREATE');
    await advanceUntil(() => shard.status().seq === 1, 1_000);

    let closed = false;
    void shard.close({ graceMs: 1_000 }).then(() => (closed = true));
    vi.setSystemTime(Date.now() + 3_600_000);
    await advanceUntil(() => closed, 2_000);
    expect(errors).toEqual([]);
    expect((await store.get(0))?.seq).toBe(1);
  });
});
