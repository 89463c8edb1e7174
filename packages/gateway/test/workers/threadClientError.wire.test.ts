import { describe, expect, it } from 'vitest';
import { violationOf } from '../../src/workers/fromWorkerCheck.js';
import { ThreadClientError } from '../../src/workers/ThreadClientError.js';
import { fromWireError, shardErrorFromWire, toWireError } from '../../src/workers/wireError.js';

const facts = (handlerModule: boolean) => ({
  ownsShard: (id: number) => id === 0,
  maxBatch: 4,
  handlerModule,
});
const reported = { name: 'HandlerError', kind: 'handler', message: 'handler#0.groupMessageCreate failed' };

describe("a thread client's failure crossing to the main thread", () => {
  it('comes back as a ThreadClientError with its thread, shard, the original name, kind and message, and the original as cause', () => {
    const original = Object.assign(new Error('boom'), { name: 'HandlerError' });
    const sent = new ThreadClientError(2, reported, 0, { cause: original });
    const error = shardErrorFromWire(toWireError(sent), 0);
    expect(error).toBeInstanceOf(ThreadClientError);
    const back = error as ThreadClientError;
    expect([back.kind, back.thread, back.shardId]).toEqual(['threadClient', 2, 0]);
    expect([back.reportedName, back.reportedKind, back.reportedMessage]).toEqual([
      'HandlerError',
      'handler',
      'handler#0.groupMessageCreate failed',
    ]);
    expect(back.message).toBe(sent.message);
    expect(back.message).toContain("worker thread 2's client reported HandlerError [handler] (shard 0)");
    expect((back.cause as Error).message).toBe('boom');
    expect(back.stack).toBe(sent.stack);
  });

  it('without a shard (a shutdown giving up on events) names none', () => {
    const sent = new ThreadClientError(1, { ...reported, name: 'AbandonedEventsError', kind: 'abandoned' });
    const back = fromWireError(toWireError(sent)) as ThreadClientError;
    expect(back).toBeInstanceOf(ThreadClientError);
    expect(back.shardId).toBeUndefined();
    expect(back.message).not.toContain('(shard');
  });

  it('is taken only from a thread with a handler module, naming one of its shards or none', () => {
    const error = toWireError(new ThreadClientError(0, reported, 0));
    expect(violationOf({ type: 'clientError', shardId: 0, error }, facts(true))).toBeUndefined();
    expect(violationOf({ type: 'clientError', error }, facts(true))).toBeUndefined();
    expect(violationOf({ type: 'clientError', shardId: 0, error }, facts(false))).toBe(
      'a thread without a handler module reported a client failure',
    );
    expect(violationOf({ type: 'clientError', shardId: 3, error }, facts(true))).toBe(
      'a client failure names shard 3, which this thread does not run',
    );
    expect(violationOf({ type: 'clientError', shardId: 0, error: 'boom' }, facts(true))).toBe(
      'a client failure is not an error (it is not an object)',
    );
  });
});
