import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '@bot/gateway';
import { SessionCheckpoint } from '../src/session/SessionCheckpoint.js';
import { SessionPosition } from '../src/shard/SessionPosition.js';

const SHARD_ID = 3;
const SHARD_COUNT = 8;

function position(store = new InMemorySessionStore()): {
  position: SessionPosition;
  store: InMemorySessionStore;
} {
  const checkpoint = new SessionCheckpoint(store, SHARD_ID, 60_000, (error) => {
    throw error;
  });
  return { position: new SessionPosition(checkpoint, SHARD_COUNT), store };
}

/** One thing a shard does to its position. */
type Step =
  | { kind: 'advance'; s: number }
  | { kind: 'begin'; sessionId: string }
  | { kind: 'restartSequence' }
  | { kind: 'clear' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.nat(1_000).map((s) => ({ kind: 'advance' as const, s })) },
  {
    weight: 1,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 8 })
      .map((sessionId) => ({ kind: 'begin' as const, sessionId })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restartSequence' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('SessionPosition', () => {
  it('accepts each sequence number once, only past the last one, and the store ends at the last one accepted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const { position: subject, store } = position();
        // The model: the last sequence accepted and the session it belongs to.
        let last: number | null = null;
        let session: string | undefined;
        for (const next of steps) {
          switch (next.kind) {
            case 'advance': {
              const fresh = last === null || next.s > last;
              expect(subject.advance(next.s)).toBe(fresh);
              if (fresh) last = next.s;
              break;
            }
            case 'begin':
              await subject.begin(next.sessionId);
              session = next.sessionId;
              break;
            case 'restartSequence':
              subject.restartSequence();
              last = null;
              break;
            case 'clear':
              await subject.clear();
              last = null;
              session = undefined;
              break;
          }
          expect(subject.seq).toBe(last);
          expect(subject.resumable).toBe(session !== undefined);
          expect(subject.session?.sessionId).toBe(session);
        }
        await subject.flush();
        const stored = await store.get(SHARD_ID);
        expect(stored?.sessionId).toBe(session);
        if (stored !== undefined) expect(stored.shardCount).toBe(SHARD_COUNT);
      }),
      { numRuns: 200 },
    );
  });

  it('begins a session at the sequence reached, or 0 before any', async () => {
    const { position: subject, store } = position();
    await subject.begin('first');
    expect(await store.get(SHARD_ID)).toEqual({ sessionId: 'first', seq: 0, shardCount: SHARD_COUNT });
    subject.advance(41);
    await subject.begin('second');
    expect(await store.get(SHARD_ID)).toEqual({ sessionId: 'second', seq: 41, shardCount: SHARD_COUNT });
  });

  it('loads a stored session of the same shard count with its sequence, and ignores one of another count', async () => {
    const store = new InMemorySessionStore();
    await store.set(SHARD_ID, { sessionId: 'kept', seq: 17, shardCount: SHARD_COUNT });
    const { position: same } = position(store);
    expect(await same.load()).toEqual({ sessionId: 'kept', seq: 17, shardCount: SHARD_COUNT });
    expect(same.seq).toBe(17);
    expect(same.advance(17)).toBe(false);

    await store.set(SHARD_ID, { sessionId: 'resharded', seq: 17, shardCount: SHARD_COUNT * 2 });
    const { position: other } = position(store);
    expect(await other.load()).toBeUndefined();
    expect(other.seq).toBeNull();
    expect(other.resumable).toBe(false);
  });
});
