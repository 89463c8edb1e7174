import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Deferred } from '@bot/core';
import { InMemorySessionStore, type IdentifyQueue } from '@bot/gateway';
import type { ToWorker } from '../../src/workers/messages.js';
import { ServedCalls } from '../../src/workers/ServedCalls.js';
import { silentLogger } from '../support/harness.js';

/** A thread as the main thread sees it: what it was posted. */
class FakeThread extends EventEmitter {
  public readonly posted: ToWorker[] = [];
  public postMessage(message: ToWorker): void {
    this.posted.push(message);
  }
}

/** Calls served against a token source whose answer the test gives; two threads calling. */
function twoThreads() {
  const token = new Deferred<string>();
  const aborted: string[] = [];
  const calls = new ServedCalls(
    () => ({
      // An identify turn that never comes: only its withdrawal ends the call.
      identifyQueue: {
        wait: (_shardId, signal) =>
          new Promise<void>((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(signal.reason)),
          ),
      } as IdentifyQueue,
      sessionStore: new InMemorySessionStore(),
      logger: silentLogger(),
      tokens: {
        get: ({ signal } = {}) => {
          signal?.addEventListener('abort', () => aborted.push(String((signal.reason as Error).message)));
          return token.promise;
        },
        invalidate: () => undefined,
      },
    }),
    { deliverable: (_, session) => session, stored: () => undefined },
  );
  const [stopping, running] = [new FakeThread(), new FakeThread()];
  // Each thread numbers its own calls: both have a call 1.
  for (const thread of [stopping, running]) {
    calls.serve(thread as unknown as Worker, () => true, {
      type: 'call',
      call: 1,
      method: 'token',
      shardId: -1,
      args: [],
    });
  }
  const replies = (thread: FakeThread) => thread.posted.filter((message) => message.type === 'reply');
  return { calls, token, aborted, stopping, running, replies };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("ServedCalls keeps each thread's calls apart (a thread still stopping and the one after it)", () => {
  it("one thread withdrawing its call 1 leaves the other's call 1 to be answered", async () => {
    const { calls, token, aborted, stopping, running, replies } = twoThreads();
    calls.cancel(stopping as unknown as Worker, 1);
    expect(aborted).toEqual(['withdrawn by the worker thread']);
    token.resolve('token-1');
    await settle();
    expect(replies(running)).toEqual([{ type: 'reply', call: 1, ok: true, value: 'token-1' }]);
    expect(replies(stopping)).toEqual([]);
  });

  it("one thread exiting withdraws only its own calls: the other's are still answered", async () => {
    const { calls, token, aborted, stopping, running, replies } = twoThreads();
    calls.withdraw(running as unknown as Worker);
    expect(aborted).toEqual(['the worker thread exited']);
    token.resolve('token-1');
    await settle();
    expect(replies(stopping)).toEqual([{ type: 'reply', call: 1, ok: true, value: 'token-1' }]);
    expect(replies(running)).toMatchObject([{ type: 'reply', call: 1, ok: false }]);
  });
});

describe('ServedCalls answers every call it withdraws from a live thread', () => {
  it('a call of a thread that goes on stopping is still answered, with a refusal naming why', async () => {
    const { calls, token, aborted, running, replies } = twoThreads();
    const worker = running as unknown as Worker;
    calls.serve(worker, () => true, { type: 'call', call: 2, method: 'identify', shardId: 0, args: [] });
    // The thread's last shard closed: its calls are withdrawn before it is asked to stop.
    calls.withdraw(worker, { tokensWhile: () => true });
    const [refusal] = replies(running);
    expect(refusal).toMatchObject({ type: 'reply', call: 2, ok: false, error: { kind: 'gateway' } });
    expect(refusal?.type === 'reply' && !refusal.ok ? refusal.error.message : '').toMatch(/stopping/);
    // The aborted work settling later adds no second answer.
    token.resolve('token-1');
    await settle();
    expect(replies(running).filter((reply) => reply.call === 2)).toHaveLength(1);
    expect(aborted).toEqual([]);
  });

  it('a token call in flight when its thread is asked to stop is answered with the token, as one made a moment later is', async () => {
    const { calls, token, aborted, running, replies } = twoThreads();
    calls.withdraw(running as unknown as Worker, { tokensWhile: () => true });
    expect(aborted).toEqual([]);
    expect(replies(running)).toEqual([]);
    token.resolve('token-1');
    await settle();
    expect(replies(running)).toEqual([{ type: 'reply', call: 1, ok: true, value: 'token-1' }]);
  });

  it('a token call kept for a stopping thread can still be withdrawn by that thread, and is by its exit', () => {
    const first = twoThreads();
    const worker = first.running as unknown as Worker;
    first.calls.withdraw(worker, { tokensWhile: () => true });
    first.calls.cancel(worker, 1);
    expect(first.aborted).toEqual(['withdrawn by the worker thread']);

    const second = twoThreads();
    const exiting = second.running as unknown as Worker;
    second.calls.withdraw(exiting, { tokensWhile: () => true });
    second.calls.withdraw(exiting);
    expect(second.aborted).toEqual(['the worker thread exited']);
  });

  it('a kept token call is not answered once its thread has stopped', async () => {
    const { calls, token, running, replies } = twoThreads();
    let stopping = true;
    calls.withdraw(running as unknown as Worker, { tokensWhile: () => stopping });
    stopping = false;
    token.resolve('token-1');
    await settle();
    expect(replies(running)).toEqual([]);
  });
});
