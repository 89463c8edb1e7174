import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deferred } from '@bot/core';
import { InMemorySessionStore, type IdentifyQueue } from '@bot/gateway';
import type { FromWorker, ToWorker } from '../../src/workers/messages.js';
import { ServedCalls } from '../../src/workers/ServedCalls.js';
import { StoppingThread } from '../../src/workers/StoppingThread.js';
import { HANDLER_CLOSE_DEADLINE_MS } from '../../src/workers/ThreadHandler.js';
import { ThreadLogLines } from '../../src/workers/ThreadLogLines.js';
import { capturingLogger } from '../support/harness.js';

/** A thread as the main thread sees it: what it was posted. */
class FakeThread extends EventEmitter {
  public readonly posted: ToWorker[] = [];
  public postMessage(message: ToWorker): void {
    this.posted.push(message);
  }
  public terminated = 0;
  public terminate(): Promise<number> {
    this.terminated += 1;
    this.emit('exit', 1);
    return Promise.resolve(1);
  }
}

const facts = { ownsShard: () => true, maxBatch: 256, handlerModule: true };
/** The threads the cases made: each ends after its case, which clears its stop deadline. */
const threads: FakeThread[] = [];

// The stop deadline (the handler's close() deadline plus 1 s) runs on a fake clock: no case leaves a real
// 11 s timer behind. setImmediate stays real for `settle`.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(async () => {
  for (const thread of threads.splice(0)) await thread.terminate();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A thread asked to stop, whose calls are served against a token source the test answers. */
function stoppingThread() {
  const { logger } = capturingLogger();
  const token = new Deferred<string>();
  const aborted: unknown[] = [];
  const invalidated: string[] = [];
  const calls = new ServedCalls(
    () => ({
      identifyQueue: {} as IdentifyQueue,
      sessionStore: new InMemorySessionStore(),
      logger,
      tokens: {
        get: ({ signal } = {}) => {
          signal?.addEventListener('abort', () => aborted.push(signal.reason));
          return token.promise;
        },
        invalidate: (bad) => void invalidated.push(bad),
      },
    }),
    { deliverable: (_, session) => session, stored: () => undefined },
  );
  const warnings: string[] = [];
  const thread = new FakeThread();
  threads.push(thread);
  const worker = thread as unknown as Worker;
  const stop = new StoppingThread((text) => warnings.push(text));
  stop.stop(worker, true);
  const parts = { logs: new ThreadLogLines(() => logger), calls };
  const receive = (message: unknown): void => stop.receive(worker, message, facts, parts);
  const replies = () => thread.posted.filter((message) => message.type === 'reply');
  return { receive, replies, token, aborted, invalidated, warnings, stop, worker, thread };
}

const tokenCall: FromWorker = { type: 'call', call: 1, method: 'token', shardId: -1, args: [] };

describe("StoppingThread: the calls of a thread whose handler's close() runs", () => {
  it('serves its token calls', async () => {
    const { receive, replies, token, stop, worker } = stoppingThread();
    receive(tokenCall);
    token.resolve('token-1');
    await settle();
    expect(replies()).toEqual([{ type: 'reply', call: 1, ok: true, value: 'token-1' }]);
    stop.exited(worker, 0, false);
  });

  it('a session call of a stopping thread is refused with a reply naming why, not left to wait', () => {
    const { receive, replies } = stoppingThread();
    receive({ type: 'call', call: 2, method: 'sessionGet', shardId: 0, args: [] });
    receive({ type: 'call', call: 3, method: 'identify', shardId: 0, args: [] });
    expect(replies()).toMatchObject([
      { type: 'reply', call: 2, ok: false, error: { kind: 'gateway' } },
      { type: 'reply', call: 3, ok: false, error: { kind: 'gateway' } },
    ]);
    const [refusal] = replies();
    expect(refusal?.type === 'reply' && !refusal.ok ? refusal.error.message : '').toMatch(
      /shard 0: .*sessionGet.*stopping/,
    );
  });

  it("a stopping thread's cancel aborts its token call", () => {
    const { receive, aborted } = stoppingThread();
    receive(tokenCall);
    receive({ type: 'cancel', call: 1 });
    expect(aborted).toHaveLength(1);
  });

  it('its invalidateToken reaches the token source, so the next token call gets a fresh token', () => {
    const { receive, invalidated } = stoppingThread();
    receive({ type: 'invalidateToken', token: 'bad-token' });
    expect(invalidated).toEqual(['bad-token']);
  });

  it("a thread that never answers stop is ended once the handler's close deadline and a 1 s margin have passed", () => {
    const { thread } = stoppingThread();
    vi.advanceTimersByTime(HANDLER_CLOSE_DEADLINE_MS + 999);
    expect(thread.terminated).toBe(0);
    vi.advanceTimersByTime(1);
    expect(thread.terminated).toBe(1);
  });

  it('a thread that exits by itself clears its stop deadline: it is not ended again later', () => {
    const { thread } = stoppingThread();
    thread.emit('exit', 0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(HANDLER_CLOSE_DEADLINE_MS * 2);
    expect(thread.terminated).toBe(0);
  });

  it('a malformed message is warned of, once, naming what was wrong', () => {
    const { receive, warnings } = stoppingThread();
    receive({ type: 'call', call: 'one', method: 'token', shardId: -1, args: [] });
    receive({ type: 'nonsense' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/malformed message/);
  });
});
