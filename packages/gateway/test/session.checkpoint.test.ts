import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError, type SessionInfo, type SessionStore, SessionWriteTimeoutError } from '@bot/gateway';
import { SessionCheckpoint } from '../src/session/SessionCheckpoint.js';

const SHARD_ID = 2;
const FLUSH_DELAY_MS = 1_000;
const WRITE_TIMEOUT_MS = 5_000;

/** One store call the test answers by hand. */
interface HeldCall {
  readonly method: 'set' | 'delete';
  readonly session: SessionInfo | undefined;
  answer(): void;
  fail(error: Error): void;
}

/**
 * A session store whose writes wait until the test answers them, in any order it likes; what a
 * write stores takes effect when it is answered, as in a remote store.
 */
class HeldStore implements SessionStore {
  public stored: SessionInfo | undefined;
  public readonly calls: HeldCall[] = [];
  public readonly open: HeldCall[] = [];

  public get(): Promise<SessionInfo | undefined> {
    return Promise.resolve(this.stored && { ...this.stored });
  }

  public set(_shardId: number, session: SessionInfo): Promise<void> {
    return this.#hold('set', { ...session });
  }

  public delete(): Promise<void> {
    return this.#hold('delete', undefined);
  }

  /** Answers the oldest open call. */
  public answerNext(): void {
    const call = this.open[0];
    if (call === undefined) throw new Error('no open store call');
    call.answer();
  }

  #hold(method: 'set' | 'delete', session: SessionInfo | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const call: HeldCall = {
        method,
        session,
        answer: () => {
          this.#close(call);
          this.stored = session;
          resolve();
        },
        fail: (error) => {
          this.#close(call);
          reject(error);
        },
      };
      this.calls.push(call);
      this.open.push(call);
    });
  }

  #close(call: HeldCall): void {
    const index = this.open.indexOf(call);
    if (index === -1) throw new Error('store call answered twice');
    this.open.splice(index, 1);
  }
}

function checkpointOn(store: SessionStore): { checkpoint: SessionCheckpoint; errors: unknown[] } {
  const errors: unknown[] = [];
  const checkpoint = new SessionCheckpoint(
    store,
    SHARD_ID,
    FLUSH_DELAY_MS,
    (error) => errors.push(error),
    WRITE_TIMEOUT_MS,
  );
  return { checkpoint, errors };
}

/** Lets answered store calls and the checkpoint's reactions to them run. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
}

const first: SessionInfo = { sessionId: 'first', seq: 1, shardCount: 4 };
const second: SessionInfo = { sessionId: 'second', seq: 0, shardCount: 4 };

describe('SessionCheckpoint writes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('behind a delete that never answers, keeps at most one write pending and writes only the newest state once the store answers', async () => {
    vi.useFakeTimers();
    const store = new HeldStore();
    const { checkpoint, errors } = checkpointOn(store);
    void checkpoint.begin(first);
    store.answerNext();
    await settle();
    void checkpoint.clear();
    // Several reconnects and a busy session while the delete hangs.
    for (let reconnect = 0; reconnect < 5; reconnect += 1) {
      void checkpoint.begin({ ...second, sessionId: `s${reconnect}` });
      for (let seq = 1; seq <= 3; seq += 1) checkpoint.advance(seq);
      await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    }
    void checkpoint.begin({ ...second, sessionId: 'newest' });
    checkpoint.advance(42);
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);

    expect(store.calls.map((call) => call.method)).toEqual(['set', 'delete']);
    store.answerNext();
    await settle();
    // One write for all that was asked while the store hung: the newest session at its newest seq.
    expect(store.calls.slice(2).map((call) => [call.method, call.session])).toEqual([
      ['set', { ...second, sessionId: 'newest', seq: 42 }],
    ]);
    store.answerNext();
    await settle();
    expect(store.stored).toEqual({ ...second, sessionId: 'newest', seq: 42 });
    expect(store.open).toEqual([]);
    expect(errors.some((error) => error instanceof SessionWriteTimeoutError)).toBe(true);
  });

  it('reports a write the store does not answer within the deadline as a SessionWriteTimeoutError naming it, and stops waiting for it', async () => {
    vi.useFakeTimers();
    const store = new HeldStore();
    const { checkpoint, errors } = checkpointOn(store);
    let settled = false;
    void checkpoint.clear().then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(WRITE_TIMEOUT_MS - 1);
    expect(errors).toEqual([]);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(errors).toHaveLength(1);
    const error = errors[0];
    expect(error).toBeInstanceOf(SessionWriteTimeoutError);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ operation: 'delete', timeoutMs: WRITE_TIMEOUT_MS, shardId: SHARD_ID });
    expect((error as Error).message).toContain('delete');
  });

  it('bounds the wait of a write queued behind one that never answers, reporting it by name', async () => {
    vi.useFakeTimers();
    const store = new HeldStore();
    const { checkpoint, errors } = checkpointOn(store);
    void checkpoint.clear();
    await vi.advanceTimersByTimeAsync(WRITE_TIMEOUT_MS);
    let settled = false;
    void checkpoint.begin(second).then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(WRITE_TIMEOUT_MS);
    expect(settled).toBe(true);
    expect(errors.map((error) => (error as SessionWriteTimeoutError).operation)).toEqual(['delete', 'set']);
    // It was never handed to the store: the delete may still land, and must not land after it.
    expect(store.calls.map((call) => call.method)).toEqual(['delete']);
  });

  it('never lets a late answer overtake a later write: the next write starts only once the store answered', async () => {
    vi.useFakeTimers();
    const store = new HeldStore();
    const { checkpoint } = checkpointOn(store);
    void checkpoint.clear();
    await vi.advanceTimersByTimeAsync(WRITE_TIMEOUT_MS * 3);
    void checkpoint.begin(second);
    await vi.advanceTimersByTimeAsync(WRITE_TIMEOUT_MS * 3);
    expect(store.open.map((call) => call.method)).toEqual(['delete']);
    store.answerNext();
    await settle();
    expect(store.open.map((call) => call.method)).toEqual(['set']);
    store.answerNext();
    await settle();
    expect(store.stored).toEqual(second);
  });

  it('reports a write the store rejects, late or not, and goes on with the next one', async () => {
    vi.useFakeTimers();
    const store = new HeldStore();
    const { checkpoint, errors } = checkpointOn(store);
    void checkpoint.begin(first);
    await vi.advanceTimersByTimeAsync(WRITE_TIMEOUT_MS);
    void checkpoint.begin(second);
    const refusal = new Error('store refused');
    store.open[0]?.fail(refusal);
    await settle();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(SessionWriteTimeoutError);
    expect(errors[1]).toBe(refusal);
    store.answerNext();
    await settle();
    expect(store.stored).toEqual(second);
  });

  it('leaves a wait its caller bounds itself to the caller: not cut short, not reported, released by the answer', async () => {
    vi.useFakeTimers();
    const store = new HeldStore();
    const { checkpoint, errors } = checkpointOn(store);
    let settled = false;
    void checkpoint.clear({ ownDeadline: true }).then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(WRITE_TIMEOUT_MS * 3);
    expect(settled).toBe(false);
    expect(errors).toEqual([]);
    store.answerNext();
    await settle();
    expect(settled).toBe(true);
    expect(errors).toEqual([]);
  });

  it('clears its deadline once the store answers in time, leaving no timer behind', async () => {
    vi.useFakeTimers();
    const store = new HeldStore();
    const { checkpoint, errors } = checkpointOn(store);
    const written = checkpoint.begin(first);
    await settle();
    store.answerNext();
    await written;
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(WRITE_TIMEOUT_MS * 2);
    expect(errors).toEqual([]);
  });

  /** One thing the shard or the store does. */
  type Step =
    | { kind: 'begin'; sessionId: string }
    | { kind: 'advance'; seq: number }
    | { kind: 'flush' }
    | { kind: 'clear' }
    | { kind: 'answer' }
    | { kind: 'fail' }
    | { kind: 'wait'; ms: number };

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.string({ minLength: 1, maxLength: 4 }).map((sessionId) => ({ kind: 'begin' as const, sessionId })),
    fc.nat(100).map((seq) => ({ kind: 'advance' as const, seq })),
    fc.constant({ kind: 'flush' as const }),
    fc.constant({ kind: 'clear' as const }),
    fc.constant({ kind: 'answer' as const }),
    fc.constant({ kind: 'fail' as const }),
    fc.integer({ min: 1, max: 2 * WRITE_TIMEOUT_MS }).map((ms) => ({ kind: 'wait' as const, ms })),
  );

  it('holds at most one store call open at any time, and the store ends at the last state asked for', async () => {
    vi.useFakeTimers();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const store = new HeldStore();
        const { checkpoint } = checkpointOn(store);
        for (const next of steps) {
          switch (next.kind) {
            case 'begin':
              void checkpoint.begin({ sessionId: next.sessionId, seq: 0, shardCount: 4 });
              break;
            case 'advance':
              checkpoint.advance(next.seq);
              break;
            case 'flush':
              void checkpoint.flush();
              break;
            case 'clear':
              void checkpoint.clear();
              break;
            case 'answer':
              if (store.open.length > 0) store.answerNext();
              break;
            case 'fail':
              store.open[0]?.fail(new Error('refused'));
              break;
            case 'wait':
              await vi.advanceTimersByTimeAsync(next.ms);
              break;
          }
          await settle();
          expect(store.open.length).toBeLessThanOrEqual(1);
        }
        // The store recovers: everything asked for drains, the last state last.
        const wanted = checkpoint.current;
        const drained = wanted === undefined ? checkpoint.clear() : checkpoint.flush();
        for (let round = 0; round < 3; round += 1) {
          while (store.open.length > 0) {
            store.answerNext();
            await settle();
          }
        }
        await drained;
        expect(store.open).toEqual([]);
        expect(store.stored).toEqual(wanted);
        await vi.runOnlyPendingTimersAsync();
      }),
      { numRuns: 200 },
    );
  });
});
