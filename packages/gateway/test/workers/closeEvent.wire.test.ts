import { describe, expect, it } from 'vitest';
import { violationOf } from '../../src/workers/fromWorkerCheck.js';
import type { FromWorker } from '../../src/workers/messages.js';

/** A thread's message carrying one shard close event. */
function closeItem(event: Record<string, unknown>): FromWorker {
  return { type: 'items', items: [[0, 'close', event as never]], dispatches: 0 };
}

const refused = {
  code: 1006,
  reason: 'could not connect (connect ECONNREFUSED 127.0.0.1:9); the socket never opened',
  next: 'resume',
  delayMs: 1_000,
};

describe('a close event crossing from a worker thread', () => {
  it('passes the checks with the connect error that kept its socket from opening, or without one', () => {
    const connectError = 'connect ECONNREFUSED 127.0.0.1:9';
    expect(violationOf(closeItem({ ...refused, connectError }), () => true, 4)).toBeUndefined();
    expect(violationOf(closeItem(refused), () => true, 4)).toBeUndefined();
  });

  it('is refused when its connect error is not text', () => {
    expect(violationOf(closeItem({ ...refused, connectError: 42 }), () => true, 4)).toBe(
      'a close event has a connect error that is not text',
    );
  });
});
