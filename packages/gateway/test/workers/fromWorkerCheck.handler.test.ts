import { describe, expect, it } from 'vitest';
import { violationOf } from '../../src/workers/fromWorkerCheck.js';

const facts = (handlerModule: boolean) => ({
  ownsShard: (id: number) => id === 0,
  maxBatch: 4,
  handlerModule,
});
const handled = (seq: unknown) => ({ type: 'items', items: [[0, 'handled', seq]], dispatches: 0 });
const failed = { type: 'handlerFailed', error: { name: 'TypeError', message: 'no default export' } };

describe("the main thread's checks of what a thread with a handler module reports", () => {
  it('takes handled sequence numbers and a failed setup only from a thread with a handler module', () => {
    expect(violationOf(handled(7), facts(true))).toBeUndefined();
    expect(violationOf(failed, facts(true))).toBeUndefined();
    expect(violationOf(handled(7), facts(false))).toBe(
      'a thread without a handler module reported handled events',
    );
    expect(violationOf(failed, facts(false))).toBe(
      'a thread without a handler module reported a failed setup',
    );
  });

  it.each([-1, 1.5, '7', null])('refuses a handled sequence number %o', (seq) => {
    expect(violationOf(handled(seq), facts(true))).toBe('a handled seq is not a count');
  });

  it('takes a stopped thread with or without a count of dropped log lines, refusing one that is not a count', () => {
    expect(violationOf({ type: 'stopped' }, facts(true))).toBeUndefined();
    expect(violationOf({ type: 'stopped', droppedLogs: 3 }, facts(true))).toBeUndefined();
    for (const droppedLogs of [-1, 2.5, '3']) {
      expect(violationOf({ type: 'stopped', droppedLogs }, facts(true))).toBe(
        'a stopped thread miscounts its dropped log lines',
      );
    }
  });

  it('refuses a failed setup whose error is not an error', () => {
    expect(violationOf({ type: 'handlerFailed', error: 'boom' }, facts(true))).toBe(
      'a handler failure is not an error (it is not an object)',
    );
  });
});
