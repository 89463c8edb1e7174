import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  MAX_THREAD_REPORTS_PER_WINDOW,
  shardIntentsOfThisThread,
} from '../../src/workers/threadClientLink.js';

// The built package, as a thread of the user's own would load it.
const GATEWAY = new URL('../../dist/index.js', import.meta.url).href;

/** Runs the link's two functions on a thread of the user's own started with `workerData`. */
async function onOwnThread(workerData: unknown): Promise<{ results: unknown; posted: unknown[] }> {
  const source = `
    import { parentPort } from 'node:worker_threads';
    const { reportToMainThread, shardIntentsOfThisThread, ThreadClientError } = await import(${JSON.stringify(GATEWAY)});
    const error = new ThreadClientError(0, { name: 'Error', kind: 'handler', message: 'boom' }, 0);
    parentPort.postMessage({ results: [reportToMainThread(error), shardIntentsOfThisThread() ?? null] });
  `;
  const worker = new Worker(source, { eval: true, workerData });
  const posted: unknown[] = [];
  const results = await new Promise((resolve, reject) => {
    worker.on('message', (message: { results?: unknown }) => {
      if (message.results === undefined) posted.push(message);
      else resolve(message.results);
    });
    worker.on('error', reject);
  });
  await worker.terminate();
  return { results, posted };
}

describe('the thread client link off a shard worker thread', () => {
  it('on the main thread posts nothing and knows no intents', () => {
    expect(shardIntentsOfThisThread()).toBeUndefined();
  });

  it.each([
    ['no workerData', undefined],
    ['workerData of its own that happens to name intents', { intents: 513, job: 'resize images' }],
  ])(
    "on a user's own worker thread (%s) posts nothing to its parent and knows no intents",
    async (_, data) => {
      const { results, posted } = await onOwnThread(data);
      expect(results).toEqual([false, null]);
      expect(posted).toEqual([]);
    },
  );

  it("on a thread started as a shard thread is (the parent's ShardWorker reads the report)", async () => {
    const { results, posted } = await onOwnThread({ thread: 0, intents: 513, maxBatch: 64 });
    expect(results).toEqual([true, 513]);
    expect(posted).toEqual([expect.objectContaining({ type: 'clientError', shardId: 0 })]);
  });
});

describe('the thread client link on a shard worker thread', () => {
  it('posts at most MAX_THREAD_REPORTS_PER_WINDOW failures in a window, however many it is given', async () => {
    const source = `
      import { parentPort } from 'node:worker_threads';
      const { reportToMainThread, ThreadClientError } = await import(${JSON.stringify(GATEWAY)});
      const error = new ThreadClientError(0, { name: 'Error', kind: 'handler', message: 'boom' }, 0);
      let accepted = 0;
      for (let n = 0; n < 1_000; n += 1) if (reportToMainThread(error)) accepted += 1;
      parentPort.postMessage({ results: accepted });
    `;
    const worker = new Worker(source, { eval: true, workerData: { thread: 0, intents: 513, maxBatch: 64 } });
    let posted = 0;
    const accepted = await new Promise((resolve, reject) => {
      worker.on('message', (message: { results?: unknown }) => {
        if (message.results === undefined) posted += 1;
        else resolve(message.results);
      });
      worker.on('error', reject);
    });
    await worker.terminate();
    expect(accepted).toBe(MAX_THREAD_REPORTS_PER_WINDOW);
    expect(posted).toBe(MAX_THREAD_REPORTS_PER_WINDOW);
  });
});
