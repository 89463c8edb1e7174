import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/core';
import {
  FatalGatewayError,
  GatewayError,
  InMemorySessionStore,
  type SessionInfo,
  type Shard,
} from '@bot/gateway';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

/** A session store whose chosen operations never answer. */
class StuckStore extends InMemorySessionStore {
  public constructor(private readonly stuck: ReadonlySet<'get' | 'set' | 'delete'>) {
    super();
  }

  public override get(shardId: number) {
    return this.stuck.has('get') ? new Promise<never>(() => undefined) : super.get(shardId);
  }

  public override set(shardId: number, session: SessionInfo) {
    return this.stuck.has('set') ? new Promise<never>(() => undefined) : super.set(shardId, session);
  }

  public override delete(shardId: number) {
    return this.stuck.has('delete') ? new Promise<never>(() => undefined) : super.delete(shardId);
  }
}

function errorsOf(shard: Shard): GatewayError[] {
  const errors: GatewayError[] = [];
  shard.on('error', (error) => {
    if (error instanceof GatewayError) errors.push(error);
  });
  return errors;
}

/** Whether `promise` has settled, read without awaiting it. */
function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

describe('Shard with a session store that does not answer', () => {
  it('names the time it waited for a session write on close in whole milliseconds', async () => {
    const { shard } = makeShard(fake.gateway.url, { sessionStore: new StuckStore(new Set(['set'])) });
    const errors = errorsOf(shard);
    await shard.start();
    await vi.advanceTimersByTimeAsync(1_000.37); // the steady clock reads fractions of a millisecond
    const closed = settledFlag(shard.close({ graceMs: 1_000 }));
    await advanceUntil(closed, 2_000, 10.25);

    const messages = errors.map((error) => error.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^shard 0: the session store did not answer set \(writing the session on close\) within \d+ ms; closing without waiting for it$/,
    );
  });

  it('identifies once a stored-session read outlasts timeouts.sessionStoreMs, and reports the read', async () => {
    const { shard } = makeShard(fake.gateway.url, {
      sessionStore: new StuckStore(new Set(['get'])),
      timeouts: { sessionStoreMs: 2_000 },
    });
    const errors = errorsOf(shard);
    const started = settledFlag(shard.start());

    await advanceUntil(started, 10_000);
    expect(shard.state).toBe('ready');
    expect(fake.gateway.received(2)).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([
      'shard 0: the session store did not answer get (reading the stored session) within 2000 ms; identifying',
    ]);
    await shard.close();
  });

  it('ignores a stored session that answers after the limit: the fresh session stays', async () => {
    const sessionStore = new InMemorySessionStore();
    await sessionStore.set(0, { sessionId: 'stale', seq: 40, shardCount: 1 });
    const late = vi
      .spyOn(sessionStore, 'get')
      .mockImplementation(
        () =>
          new Promise((resolve) =>
            setTimeout(() => resolve({ sessionId: 'stale', seq: 40, shardCount: 1 }), 3_000),
          ),
      );
    const { shard } = makeShard(fake.gateway.url, { sessionStore, timeouts: { sessionStoreMs: 1_000 } });
    const started = settledFlag(shard.start());
    await advanceUntil(started, 5_000);

    await advanceBy(5_000, 500);
    expect(late).toHaveBeenCalledTimes(1);
    expect(shard.status()).toMatchObject({ state: 'ready', sessionId: 'session-1', seq: 1 });
    await shard.close({ graceMs: 100 });
  });

  it('close() during a read that never answers resolves at once, without connecting', async () => {
    const { shard } = makeShard(fake.gateway.url, { sessionStore: new StuckStore(new Set(['get'])) });
    const started = shard.start().catch((error: unknown) => error);
    const closed = settledFlag(shard.close());

    await advanceUntil(closed, 100, 10);
    expect(shard.state).toBe('closed');
    expect(await started).toBeInstanceOf(GatewayError);
    expect(fake.gateway.connections).toHaveLength(0);
  });

  it('goes on to identify when deleting an invalidated session outlasts the limit (5 s by default)', async () => {
    const { shard } = makeShard(fake.gateway.url, { sessionStore: new StuckStore(new Set(['delete'])) });
    const errors = errorsOf(shard);
    await shard.start();

    fake.gateway.last.send({ op: 9, d: false });
    await advanceUntil(() => fake.gateway.received(2).length === 2 && shard.state === 'ready', 20_000);
    expect(errors.map((error) => error.message)).toContain(
      'shard 0: the session store did not answer delete (forgetting the invalidated session) within 5000 ms; going on without it',
    );
    // Writes queue behind the delete that never answered: the close waits for them no longer than its grace.
    const closed = settledFlag(shard.close({ graceMs: 1_000 }));
    await advanceUntil(closed, 2_000);
    expect(shard.state).toBe('closed');
    expect(errors.map((error) => error.message)).toContainEqual(
      expect.stringMatching(
        /^shard 0: the session store did not answer set \(writing the session on close\) within \d+ ms; closing without waiting for it$/,
      ),
    );
  });

  it('becomes fatal, rejecting start(), when deleting the session outlasts the limit on a fatal close', async () => {
    fake.gateway.options.closeOnIdentify = 4001;
    const { shard } = makeShard(fake.gateway.url, {
      sessionStore: new StuckStore(new Set(['delete'])),
      timeouts: { sessionStoreMs: 1_000 },
    });
    const errors = errorsOf(shard);
    const started = shard.start().catch((error: unknown) => error);
    const done = settledFlag(started);

    await advanceUntil(done, 10_000);
    expect(await started).toBeInstanceOf(FatalGatewayError);
    expect(shard.state).toBe('fatal');
    expect(errors.map((error) => error.message)).toContain(
      'shard 0: the session store did not answer delete (forgetting the invalidated session) within 1000 ms; going on without it',
    );
  });

  it('refuses a timeouts.sessionStoreMs that is not a positive number', () => {
    expect(() => makeShard(fake.gateway.url, { timeouts: { sessionStoreMs: 0 } })).toThrow(ValidationError);
  });
});
