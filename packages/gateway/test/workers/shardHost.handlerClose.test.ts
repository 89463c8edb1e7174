import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker } from '../../src/workers/messages.js';
import { ShardHost } from '../../src/workers/ShardHost.js';
import { HANDLER_CLOSE_DEADLINE_MS } from '../../src/workers/ThreadHandler.js';
import { ALL_INTENT_BITS } from '../support/emulator.js';

const CLOSING = new URL('./fixtures/closingHandler.ts', import.meta.url).href;

/** What the host posted: the text of each log line (its level name first), and `stopped`. */
function hostOf(close: 'reject' | 'throw' | 'hang' | 'chattyReject' | 'requestTimeout') {
  const posted: string[] = [];
  const stops: FromWorker[] = [];
  const post = (message: FromWorker): void => {
    if (message.type === 'stopped') stops.push(message);
    if (message.type === 'log') posted.push(`${message.levelName} ${message.args.join(' ')}`);
    else posted.push(message.type);
  };
  const host = new ShardHost(
    {
      behaviour: {},
      intents: ALL_INTENT_BITS,
      logLevel: 0,
      maxBatch: 4,
      maxUnacked: 8,
      durableSeq: false,
      storeCallMs: 1_000,
      handlerTimeoutMs: 120_000,
      thread: 3,
      handler: { module: CLOSING, data: { close } },
    },
    post,
  );
  return { host, posted, stops };
}

/** Lets the host's promise reactions run, the fake clock standing still. */
const turns = () => vi.advanceTimersByTimeAsync(0);

afterEach(() => {
  vi.useRealTimers();
});

/**
 * A worker thread's ending as `ShardHost` runs it, with the test as the main thread: a handler
 * whose close() fails tells so through the thread's logger before the thread says it stopped.
 */
describe("ShardHost: a handler's close() that fails when the thread is stopped", () => {
  it.each([
    ['rejects', 'reject', 'the database connection was already closed'],
    ['throws something not an Error', 'throw', 'the metrics endpoint refused the flush'],
    ["rejects with a request's own timeout", 'requestTimeout', 'request took longer than 2000 ms'],
  ] as const)(
    'one that %s is logged as an error naming it, then the thread stops',
    async (_, close, reason) => {
      vi.useFakeTimers();
      const { host, posted } = hostOf(close);
      await vi.waitFor(() => expect(posted.some((line) => line.endsWith('set up'))).toBe(true));
      host.handle({ type: 'stop' });
      await turns();
      const failure = posted.find((line) => line.includes('close() failed'));
      expect(failure).toMatch(/^ERROR /);
      expect(failure).toContain(`worker thread 3: the dispatch handler's close() failed: ${reason}`);
      expect(failure).toContain('catch in close() what it can recover from');
      expect(posted.at(-1)).toBe('stopped');
      expect(posted.indexOf('stopped')).toBeGreaterThan(posted.indexOf(failure ?? ''));
    },
  );

  it(`one still running after ${HANDLER_CLOSE_DEADLINE_MS} ms is logged as an error, then the thread stops`, async () => {
    vi.useFakeTimers();
    const { host, posted } = hostOf('hang');
    await vi.waitFor(() => expect(posted.some((line) => line.endsWith('set up'))).toBe(true));
    host.handle({ type: 'stop' });
    await vi.advanceTimersByTimeAsync(HANDLER_CLOSE_DEADLINE_MS - 1);
    expect(posted).not.toContain('stopped');
    await vi.advanceTimersByTimeAsync(1);
    const failure = posted.find((line) => line.includes("the dispatch handler's close()"));
    expect(failure).toMatch(/^ERROR /);
    expect(failure).toContain(
      `worker thread 3: the dispatch handler's close() did not finish within ${HANDLER_CLOSE_DEADLINE_MS} ms`,
    );
    expect(failure).toContain('deadlines of their own');
    expect(posted.at(-1)).toBe('stopped');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('one that logged past its allowance first still gets its failure printed, and its dropped lines counted', async () => {
    vi.useFakeTimers();
    const { host, posted, stops } = hostOf('chattyReject');
    await vi.waitFor(() => expect(posted.some((line) => line.endsWith('set up'))).toBe(true));
    host.handle({ type: 'stop' });
    await turns();
    const failure = posted.find((line) => line.includes('close() failed'));
    expect(failure).toContain(
      "worker thread 3: the dispatch handler's close() failed: the queue could not be flushed",
    );
    expect(posted.filter((line) => line.includes('close line'))).toHaveLength(255); // 256 in flight, 'set up' first
    expect(stops).toEqual([{ type: 'stopped', droppedLogs: 345 }]);
  });
});
