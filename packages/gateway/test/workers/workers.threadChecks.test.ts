import { describe, expect, it } from 'vitest';
import { InMemorySessionStore, WorkerRestartsExhaustedError, type SessionInfo } from '@bot/gateway';
import { ThreadMessageError } from '../../src/workers/ThreadMessageError.js';
import { oneShardThread, type ThreadScript } from './support/oneShardThread.js';

/**
 * A crafted shard thread: once asked to start shard 0, it runs `body` with `post` (to the main
 * thread), `status(seq, sessionId)` (a shard snapshot) and `replies` (call number → handler).
 */
function craftedThread(body: string): ThreadScript {
  return {
    eval: true,
    entry: `
      const { parentPort } = require('node:worker_threads');
      const post = (message) => parentPort.postMessage(message);
      const status = (seq, sessionId) => ({ id: 0, total: 1, state: 'ready', latency: undefined, seq, sessionId,
        reconnects: 0, attempt: 1, lastCloseCode: undefined, paused: false });
      const replies = new Map();
      parentPort.on('message', (message) => {
        if (message.type === 'reply') replies.get(message.call)?.(message);
        if (message.type !== 'start') return;
        ${body}
      });`,
  };
}

/** A thread of one shard, with restarts exhausted at its first exit; returns its parts. */
function runOn(script: ThreadScript, store = new InMemorySessionStore()) {
  const { thread, shard } = oneShardThread(script, { store });
  shard.on('error', () => undefined);
  const started = shard.start().then(
    () => 'ready',
    (error: unknown) => error,
  );
  return { thread, shard, started };
}

const READY_AT_3 = `
  const dispatch = (s) => [0, 'dispatch', { op: 0, s, t: 'AT_MESSAGE_CREATE', d: {} }];
  post({ type: 'items', dispatches: 3, items: [dispatch(1), dispatch(2), dispatch(3), [0, 'state', 'ready', 'connecting', status(3, 'S')]] });`;

describe('what a shard thread posts is checked', () => {
  const garbage: Array<[string, string]> = [
    ['items that are not an array', `post({ type: 'items', items: 'garbage', dispatches: 0 });`],
    [
      'an item of a shard the thread does not run',
      `post({ type: 'items', items: [[7, 'debug', 'x']], dispatches: 0 });`,
    ],
    ['an item of an unknown kind', `post({ type: 'items', items: [[0, 'explode']], dispatches: 0 });`],
    ['more dispatches counted than items', `post({ type: 'items', items: [], dispatches: 5 });`],
    [
      'a malformed session on close',
      `post({ type: 'items', items: [[0, 'closed', { sessionId: 5 }]], dispatches: 0 });`,
    ],
    [
      'a session to store without a sequence number',
      `post({ type: 'call', call: 1, method: 'sessionSet', shardId: 0, args: [{ sessionId: 'S', shardCount: 1 }] });`,
    ],
    [
      'a call of an unknown method',
      `post({ type: 'call', call: 1, method: 'format', shardId: 0, args: [] });`,
    ],
    ['a message of an unknown type', `post({ type: 'selfDestruct' });`],
    [
      'a state report whose session id is not text',
      `post({ type: 'items', dispatches: 0, items: [[0, 'state', 'ready', 'connecting', status(3, { evil: true })]] });`,
    ],
    [
      'a state report whose seq is negative',
      `post({ type: 'items', dispatches: 0, items: [[0, 'state', 'ready', 'connecting', status(-4, 'S')]] });`,
    ],
    [
      'a close event with a negative delay',
      `post({ type: 'items', dispatches: 0, items: [[0, 'close', { code: 4009, reason: 'x', next: 'resume', delayMs: -1 }]] });`,
    ],
    [
      'an error whose causes go on without end',
      `let error = { name: 'Error', message: 'deep', stack: undefined };
       for (let i = 0; i < 50; i += 1) error = { name: 'Error', message: 'deep', stack: undefined, cause: error };
       post({ type: 'items', dispatches: 0, items: [[0, 'error', error]] });`,
    ],
  ];
  it.each(garbage)(
    '%s: the thread is stopped and handled as one that exited, for a ThreadMessageError naming the message',
    async (_, body) => {
      const store = new InMemorySessionStore();
      const { thread, shard, started } = runOn(craftedThread(body), store);
      const error = await started;
      expect(error).toBeInstanceOf(WorkerRestartsExhaustedError);
      const cause = (error as Error).cause;
      expect(cause).toBeInstanceOf(ThreadMessageError);
      expect(cause).toMatchObject({ kind: 'threadMessage', thread: 0 });
      const { messageType, problem } = cause as ThreadMessageError;
      expect((cause as Error).message).toMatch(
        new RegExp(`malformed '${messageType}' message( about shard 0)? \\(`),
      );
      expect((cause as Error).message).toContain(`(${problem})`);
      expect(shard.state).toBe('fatal');
      expect(thread.thread).toBeUndefined();
    },
  );

  it('a state report whose session id is not text never reaches the store: the session saved is the last well-formed one', async () => {
    const store = new InMemorySessionStore();
    const { started } = runOn(
      craftedThread(`${READY_AT_3}
        post({ type: 'items', dispatches: 0, items: [[0, 'state', 'resuming', 'ready', status(9, { id: 'forged' })]] });
        setTimeout(() => process.exit(1), 200);`),
      store,
    );
    expect(await started).toBe('ready');
    await expect
      .poll(() => store.get(0), { timeout: 10_000 })
      .toEqual({ sessionId: 'S', seq: 3, shardCount: 1 });
  });
});

describe('what a thread posted after a refused message', () => {
  it('is not acted on: no event past the refused batch is delivered, and the session saved stops before it', async () => {
    const store = new InMemorySessionStore();
    const { shard, started } = runOn(
      craftedThread(`${READY_AT_3}
        // Three batches in one turn: all queued on the main thread before it stops the thread.
        post({ type: 'items', dispatches: 1, items: [dispatch(4)] });
        post({ type: 'items', dispatches: 1, items: [dispatch(5), [0, 'explode']] });
        post({ type: 'items', dispatches: 1, items: [dispatch(6)] });`),
      store,
    );
    const delivered: unknown[] = [];
    shard.on('dispatch', (payload) => delivered.push(payload.s));
    expect(await started).toBe('ready');
    await expect.poll(() => shard.state, { timeout: 10_000 }).toBe('fatal');
    expect(delivered).toEqual([1, 2, 3, 4]);
    await expect
      .poll(() => store.get(0), { timeout: 10_000 })
      .toEqual({ sessionId: 'S', seq: 4, shardCount: 1 });
  });
});

describe('resume points a thread asks to store', () => {
  it('are capped at what reached the main thread; a session not seen there resumes from its start; the exit saves what was delivered, also when restarts are exhausted', async () => {
    const store = new InMemorySessionStore();
    const writes: SessionInfo[] = [];
    const set = store.set.bind(store);
    store.set = (id, session) => {
      writes.push(session);
      return set(id, session);
    };
    const { started } = runOn(
      craftedThread(`${READY_AT_3}
        replies.set(1, () => post({ type: 'call', call: 2, method: 'sessionSet', shardId: 0, args: [{ sessionId: 'T', seq: 10, shardCount: 1 }] }));
        replies.set(2, () => process.exit(1));
        post({ type: 'call', call: 1, method: 'sessionSet', shardId: 0, args: [{ sessionId: 'S', seq: 50, shardCount: 1 }] });`),
      store,
    );
    expect(await started).toBe('ready');
    await expect.poll(() => writes.length, { timeout: 10_000 }).toBe(3);
    expect(writes).toEqual([
      { sessionId: 'S', seq: 3, shardCount: 1 }, // read up to 50, delivered up to 3
      { sessionId: 'T', seq: 0, shardCount: 1 }, // nothing of T delivered yet
      { sessionId: 'S', seq: 3, shardCount: 1 }, // saved when the thread exited for good
    ]);
  });
});
