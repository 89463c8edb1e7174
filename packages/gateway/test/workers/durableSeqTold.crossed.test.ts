import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/session/SessionStore.js';
import type { ShardStatus } from '../../src/shard/ShardState.js';
import { DurableSeqTold, type CrossedStatus } from '../../src/workers/threadSessions.js';

/** A shard's stand-in whose dispatches of session `sessionId` crossed up to `seq`. */
function shardAt(id: number, sessionId: string | undefined, seq: number | null): CrossedStatus {
  const status: ShardStatus = {
    id,
    total: 1,
    state: 'ready',
    latency: undefined,
    seq,
    sessionId,
    reconnects: 0,
    attempt: 0,
    lastCloseCode: undefined,
    paused: false,
  };
  return { id, status: () => ({ ...status }) };
}

/** A store whose `durableSeq` answers `durable` for every session. */
function storeAt(durable: () => number | undefined): SessionStore {
  return {
    get: () => Promise.resolve(undefined),
    set: () => Promise.resolve(),
    delete: () => Promise.resolve(),
    durableSeq: () => durable(),
  };
}

describe('DurableSeqTold: what a worker thread is told it may acknowledge', () => {
  it('is never past what crossed to the main thread, whatever the store answers', () => {
    const durable = fc.option(fc.oneof(fc.nat(), fc.constant(Number.POSITIVE_INFINITY)), { nil: undefined });
    const crossed = fc.option(fc.nat(), { nil: null });
    fc.assert(
      fc.property(durable, crossed, (answer, seq) => {
        const told = new DurableSeqTold().moved(
          [shardAt(0, 's', seq)],
          storeAt(() => answer),
        );
        if (answer === undefined) expect(told).toEqual([]);
        else expect(told).toEqual([[0, 's', Math.min(answer, seq ?? 0)]]);
      }),
    );
  });

  it('a store that answers for every seq (an idle client: Infinity) tells what crossed, as it crosses', () => {
    const told = new DurableSeqTold();
    const store = storeAt(() => Number.POSITIVE_INFINITY);
    expect(told.moved([shardAt(0, 's', 4)], store)).toEqual([[0, 's', 4]]);
    expect(told.behind([shardAt(0, 's', 4)])).toBe(false);
    // Nothing more crossed: nothing to tell again.
    expect(told.moved([shardAt(0, 's', 4)], store)).toEqual([]);
    expect(told.moved([shardAt(0, 's', 7)], store)).toEqual([[0, 's', 7]]);
  });

  it('tells nothing of a shard without a session', () => {
    expect(
      new DurableSeqTold().moved(
        [shardAt(0, undefined, null)],
        storeAt(() => 3),
      ),
    ).toEqual([]);
  });
});
