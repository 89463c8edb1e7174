/**
 * A session store is the user's code (a database, a key-value store): what it gives back is
 * checked before a shard resumes with it. A session it mangled (numbers stored as text, a missing
 * field) is reported, naming what is wrong, and the shard identifies: never a Resume with a
 * malformed seq, never a silent identify on every start.
 */
import { describe, expect, it } from 'vitest';
import {
  GatewayError,
  InMemorySessionStore,
  StoredSessionMalformedError,
  type SessionInfo,
  type Shard,
} from '@bot/gateway';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

/** A store that gives back what a store of text fields would: whatever it was given, as stored. */
class MangledStore extends InMemorySessionStore {
  public constructor(private readonly stored: unknown) {
    super();
  }

  public override get(): Promise<SessionInfo | undefined> {
    return Promise.resolve(this.stored as SessionInfo);
  }
}

function errorsOf(shard: Shard): string[] {
  const errors: string[] = [];
  shard.on('error', (error) => {
    if (error instanceof GatewayError)
      errors.push(`${error.message} (${String((error.cause as Error)?.message)})`);
  });
  return errors;
}

describe('Shard with a session store that gives back a malformed session', () => {
  it.each([
    ['a seq stored as text', { sessionId: 'stored', seq: '12', shardCount: 1 }, /seq/],
    ['a shard count stored as text', { sessionId: 'stored', seq: 12, shardCount: '1' }, /shardCount/],
    ['no session id', { seq: 12, shardCount: 1 }, /sessionId/],
    ['a negative seq', { sessionId: 'stored', seq: -3, shardCount: 1 }, /seq/],
  ])('with %s, reports it and identifies without resuming', async (_, stored, named) => {
    const { shard } = makeShard(fake.gateway.url, { sessionStore: new MangledStore(stored) });
    const errors = errorsOf(shard);
    const causes: unknown[] = [];
    shard.on('error', (error) => causes.push(error.cause));
    const started = shard.start();
    let ready = false;
    void started.then(() => (ready = true));
    await advanceUntil(() => ready, 10_000);

    expect(fake.gateway.received(6)).toHaveLength(0);
    expect(fake.gateway.received(2)).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/could not read the stored session; identifying/);
    expect(errors[0]).toMatch(named);
    expect(causes[0]).toBeInstanceOf(StoredSessionMalformedError);
    await shard.close();
  });
});
