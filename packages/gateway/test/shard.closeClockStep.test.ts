import { describe, expect, it, vi } from 'vitest';
import { InMemorySessionStore } from '@bot/gateway';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

// A close waits for its session write no longer than its grace, measured as the grace, not by
// the wall clock alone: a clock stepped back an hour during the close (a time sync) must not
// hold a shutdown for that hour.

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

/** A session store whose deletes never answer, so later writes queue behind them. */
class StuckDeletes extends InMemorySessionStore {
  public override delete(): Promise<void> {
    return new Promise<never>(() => undefined);
  }
}

describe('Shard.close() across a wall-clock step back', () => {
  it('is over within its grace', async () => {
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
});
