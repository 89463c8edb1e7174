import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { violationOf } from '../../src/workers/fromWorkerCheck.js';
import type { FromWorker, ShardItem } from '../../src/workers/messages.js';
import { ShardHost } from '../../src/workers/ShardHost.js';

// A shard closed while its thread's handler module still loads is closed at once, leaving what
// the store holds for it. The store is the user's (a Redis one, say) and may give back a session
// mangled by hand or by another version: the thread must not post that on as the session the
// close left, or the main thread, which checks it, takes the whole thread for a broken one and
// stops it, cutting every other shard of the thread.

const GATED_SETUP = new URL('./fixtures/gatedFailingSetup.ts', import.meta.url).href;
const FACTS = { ownsShard: (id: number) => id === 0, maxBatch: 4, handlerModule: true };

/** A host whose handler module is still loading (until the test ends), and what it posted. */
async function loadingHost(): Promise<{ host: ShardHost; posted: FromWorker[] }> {
  const gateName = `close-while-loading-${process.pid}-${Math.random()}`;
  const gate = new BroadcastChannel(gateName);
  const waiting = new Promise((resolve) => (gate.onmessage = resolve));
  onTestFinished(() => {
    gate.postMessage('the test is over');
    gate.close();
  });
  const posted: FromWorker[] = [];
  const host = new ShardHost(
    {
      behaviour: {},
      intents: 0,
      logLevel: 7,
      maxBatch: 4,
      maxUnacked: 8,
      durableSeq: false,
      storeCallMs: 1_000,
      handlerTimeoutMs: 120_000,
      thread: 0,
      handler: { module: GATED_SETUP, data: { gate: gateName } },
    },
    (message) => posted.push(message),
  );
  await waiting;
  return { host, posted };
}

const itemsOf = (posted: FromWorker[]): ShardItem[] =>
  posted.flatMap((message) => (message.type === 'items' ? message.items : []));

/** Closes shard 0 before the setup finished, the store answering `stored`; returns what was posted. */
async function closeWhileLoading(stored: unknown): Promise<FromWorker[]> {
  const { host, posted } = await loadingHost();
  host.handle({ type: 'start', id: 0, total: 1, gatewayUrl: 'ws://127.0.0.1:9/never', paused: false });
  host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
  const call = posted.find((message) => message.type === 'call');
  expect(call).toMatchObject({ method: 'sessionGet', shardId: 0 });
  host.handle({ type: 'reply', call: call?.type === 'call' ? call.call : -1, ok: true, value: stored });
  await vi.waitFor(() => expect(itemsOf(posted).some((item) => item[1] === 'closed')).toBe(true));
  return posted;
}

describe('a shard closed while its handler module loads', () => {
  it('leaves the session the store holds when it is well-formed', async () => {
    const stored = { sessionId: 'S', seq: 7, shardCount: 1 };
    const posted = await closeWhileLoading(stored);
    expect(itemsOf(posted)).toEqual([[0, 'closed', stored]]);
  });

  it.each([
    ['undefined', undefined],
    ['null (what a Redis GET gives for a missing key)', null],
  ])(
    'leaves none, and reports nothing, when the store answers %s: it holds no session',
    async (_, stored) => {
      const posted = await closeWhileLoading(stored);
      expect(itemsOf(posted)).toEqual([[0, 'closed', undefined]]);
    },
  );

  it.each([
    ['a seq stored as text', { sessionId: 'S', seq: '7', shardCount: 1 }, /seq "7"/],
    ['a numeric session id', { sessionId: 5, seq: 7, shardCount: 1 }, /sessionId 5/],
    ['no object at all', 'S:7', /not an object/],
  ])(
    'leaves none when the stored one has %s, reporting it as the store giving back a malformed session; all it posts passes the checks of the main thread',
    async (_, stored, problem) => {
      const posted = await closeWhileLoading(stored);
      for (const message of posted)
        expect(violationOf(message, FACTS), JSON.stringify(message)).toBeUndefined();
      const items = itemsOf(posted);
      expect(items.at(-1)).toEqual([0, 'closed', undefined]);
      const reported = items.find((item) => item[1] === 'error');
      expect(reported?.[2]).toMatchObject({ name: 'StoredSessionMalformedError', kind: 'gateway' });
      expect(reported?.[2]).toHaveProperty('message', expect.stringMatching(problem));
    },
  );
});
