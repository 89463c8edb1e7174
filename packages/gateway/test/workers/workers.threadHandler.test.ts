import { threadId } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/core';
import { AccessTokenProvider, Token } from '@bot/http';
import {
  GatewayError,
  InMemorySessionStore,
  ThreadHandlerError,
  workerThreads,
  type DispatchPayload,
} from '@bot/gateway';
import { guildOnShard } from '../support/emulator.js';
import { capturingLogger } from '../support/harness.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, emulatorFor, publish, workerManager } from './support/threadedManager.js';
import { handled, listen } from './support/handlerReports.js';
import { REPORTING, startReporting } from './support/reportingShard.js';
import { failure, WAIT } from './support/waits.js';

const fixture = (name: string): URL => new URL(`./fixtures/${name}.ts`, import.meta.url);

describe('dispatches handled on the worker threads (workerThreads({ handler }))', () => {
  emulatorTest(
    'each thread handles its own shards, every event once, on that thread; none crosses to the main thread',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 4);
      const { channel, reports } = listen();
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({ workers: 2, handler: REPORTING, handlerData: { channel } }),
      );
      const onMain: string[] = [];
      manager.on('dispatch', (payload: DispatchPayload) => onMain.push(payload.t ?? ''));
      const run = manager.startShards(4);
      await vi.waitFor(allReady(manager, 4), WAIT);
      const ids = publish(emu, 100, 4);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(100), WAIT);

      const seen = handled(reports);
      expect(seen.map((report) => report.id).sort()).toEqual([...ids].sort());
      for (const report of seen) {
        // Shard id runs on thread id % 2, and the handler ran there, not here.
        expect(report.index).toBe(report.shardId % 2);
        expect(report.shardCount).toBe(4);
        expect(report.threadId).not.toBe(threadId);
      }
      expect(new Set(seen.map((report) => report.threadId)).size).toBe(2);
      expect(onMain).not.toContain('AT_MESSAGE_CREATE');
      await manager.shutdownAll();
      await expect(run).resolves.toBeUndefined();
    },
  );

  emulatorTest(
    "each thread's setup gets its index, the handler data and the manager's token, once per thread",
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 2);
      const { channel, reports } = listen();
      const tokens = new AccessTokenProvider(new Token(emu.appId, emu.secret), { tokenUrl: emu.tokenUrl });
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({ workers: 2, handler: REPORTING, handlerData: { channel } }),
        { tokens },
      );
      void manager.startShards(2);
      await vi.waitFor(allReady(manager, 2), WAIT);
      const setups = reports.filter((report) => report.kind === 'setup');
      expect(setups.map((report) => report.index).sort()).toEqual([0, 1]);
      const token = await tokens.get();
      expect(setups.map((report) => report.token)).toEqual([token, token]);
    },
  );

  emulatorTest(
    "a throw or a rejection in the thread's handler reaches the manager's error event, naming shard and event; later events still come",
    async ({ emulatorOfTest }) => {
      const { emu, manager, reports } = await startReporting(emulatorOfTest);
      const errors: unknown[] = [];
      manager.on('error', (error) => errors.push(error));
      const guildId = guildOnShard(0, 1);
      const thrown = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'throw' }, { guildId }).id;
      const rejected = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'reject' }, { guildId }).id;
      const after = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'after' }, { guildId }).id;
      await vi.waitFor(() => expect(errors).toHaveLength(2), WAIT);
      await vi.waitFor(() => expect(handled(reports).map((report) => report.id)).toContain(after), WAIT);
      const [first, second] = errors as GatewayError[];
      expect(first).toBeInstanceOf(GatewayError);
      expect(first?.shardId).toBe(0);
      expect(first?.message).toContain(`AT_MESSAGE_CREATE (event ${thrown})`);
      expect(first?.message).toContain('the handler threw on purpose');
      expect((first?.cause as Error).message).toBe('the handler threw on purpose');
      expect(second?.message).toContain(`(event ${rejected})`);
      expect(second?.message).toContain('the handler rejected on purpose');
      expect(manager.status()[0]?.state).toBe('ready');
    },
  );

  emulatorTest(
    'shutdown waits for the handlings still running on the threads, then for each handler to close and its thread to end',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 2);
      const { channel, reports } = listen();
      const strategy = workerThreads({
        workers: 2,
        handler: REPORTING,
        // close() takes a second: shutdownAll() must wait for it, not resolve before.
        handlerData: { channel, holdMs: 400, closeMs: 1_000 },
      });
      const manager = workerManager(emulatorOfTest, strategy);
      void manager.startShards(2);
      await vi.waitFor(allReady(manager, 2), WAIT);
      const ids = publish(emu, 10, 2);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(10), WAIT);
      await manager.shutdownAll();
      // BroadcastChannel messages are delivered in order per sender; give the last ones a moment.
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'finished')).toHaveLength(10),
        {
          timeout: 1_000,
          interval: 10,
        },
      );
      const finished = reports.flatMap((report) => (report.kind === 'finished' ? [report.id] : []));
      expect(finished.sort()).toEqual([...ids].sort());
      // Each thread's handler was closed, and its thread ended, before shutdownAll() resolved.
      await vi.waitFor(
        () =>
          expect(
            reports.flatMap((report) => (report.kind === 'closed' ? [report.index] : [])).sort(),
          ).toEqual([0, 1]),
        { timeout: 200, interval: 10 },
      );
    },
  );

  emulatorTest(
    "a stopping thread's handler close() may still log and get a token from the main thread",
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 1);
      const { channel, reports } = listen();
      const { logger, lines } = capturingLogger();
      const tokens = new AccessTokenProvider(new Token(emu.appId, emu.secret), { tokenUrl: emu.tokenUrl });
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({ workers: 1, handler: REPORTING, handlerData: { channel } }),
        { logger, tokens },
      );
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      const started = Date.now();
      await manager.shutdownAll();
      // Answered at once, not after the 10 s the close is given.
      expect(Date.now() - started).toBeLessThan(5_000);
      await vi.waitFor(
        () =>
          expect(reports.filter((report) => report.kind === 'closed')).toEqual([
            { kind: 'closed', index: 0, threadId: expect.any(Number), token: expect.any(String) },
          ]),
        { timeout: 500, interval: 10 },
      );
      expect(reports.find((report) => report.kind === 'closed')).toMatchObject({ token: await tokens.get() });
      expect(lines.some((line) => line.includes('thread 0 closing its handler'))).toBe(true);
    },
  );

  emulatorTest(
    "the main thread's resume point stays before handlings still running, across a reconnect of the shard",
    async ({ emulatorOfTest }) => {
      const { emu, manager, reports } = await startReporting(emulatorOfTest, { data: { holdMs: 6_000 } });
      const seqBefore = manager.status()[0]?.seq;
      publish(emu, 3, 1);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(3), WAIT);
      // The shard reconnects and resumes while the three handlings still run: its state changes
      // cross with the shard's status, whose seq must be how far the handler finished.
      emu.faults.reconnect(0);
      await vi.waitFor(() => expect(manager.status()[0]?.reconnects).toBe(1), WAIT);
      await vi.waitFor(allReady(manager, 1), WAIT);
      expect(reports.filter((report) => report.kind === 'finished')).toEqual([]);
      expect(manager.status()[0]?.seq).toBe(seqBefore);
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'finished')).toHaveLength(3),
        WAIT,
      );
      // The three events, and the RESUMED dispatch handed after them.
      await vi.waitFor(
        () => expect(manager.status()[0]?.seq).toBeGreaterThanOrEqual((seqBefore ?? 0) + 3),
        WAIT,
      );
    },
    30_000,
  );

  emulatorTest(
    "handlings of an old session finishing after the shard identified anew do not move the new session's resume point",
    async ({ emulatorOfTest }) => {
      const { emu, manager, reports } = await startReporting(emulatorOfTest, { data: { holdMs: 8_000 } });
      const oldSession = manager.status()[0]?.sessionId;
      publish(emu, 5, 1);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(5), WAIT);
      emu.faults.invalidSession(0, false);
      await vi.waitFor(() => {
        expect(manager.status()[0]?.sessionId).not.toBe(oldSession);
        expect(manager.status()[0]?.state).toBe('ready');
      }, WAIT);
      const newSessionSeq = manager.status()[0]?.seq;
      // The old session's handlings were still running when the new session became ready.
      expect(reports.filter((report) => report.kind === 'finished')).toEqual([]);
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'finished')).toHaveLength(5),
        WAIT,
      );
      // Give a 'handled' report of the old session time to cross, were one sent.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(manager.status()[0]?.seq).toBe(newSessionSeq);
    },
    40_000,
  );

  emulatorTest(
    'a thread that exits is restarted with its handler set up again; its shard resumes after the events handled, which are not handed again',
    async ({ emulatorOfTest }) => {
      const { emu, manager, reports } = await startReporting(emulatorOfTest, {
        options: { restartBaseMs: 50 },
      });
      const sessionId = manager.status()[0]?.sessionId;
      const guildId = guildOnShard(0, 1);
      const before = publish(emu, 5, 1);
      const exit = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'exit' }, { guildId }).id;
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'setup')).toHaveLength(2),
        WAIT,
      );
      await vi.waitFor(allReady(manager, 1), WAIT);
      expect(manager.status()[0]?.sessionId).toBe(sessionId);
      const later = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'later' }, { guildId }).id;
      await vi.waitFor(() => expect(handled(reports).map((report) => report.id)).toContain(later), WAIT);
      expect(handled(reports).map((report) => report.id)).toEqual([...before, exit, later]);
    },
  );

  emulatorTest(
    'a handling not finished when its thread crashed is handed again to the restarted thread (at least once)',
    async ({ emulatorOfTest }) => {
      const crashOnce = new SharedArrayBuffer(4);
      const { emu, reports } = await startReporting(emulatorOfTest, {
        data: { holdMs: 2_000, crashOnce },
        options: { restartBaseMs: 50 },
      });
      const guildId = guildOnShard(0, 1);
      const held = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'held' }, { guildId }).id;
      const crash = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'crash' }, { guildId }).id;
      await vi.waitFor(
        () => expect(reports.filter((report) => report.kind === 'setup')).toHaveLength(2),
        WAIT,
      );
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(4), WAIT);
      expect(handled(reports).map((report) => report.id)).toEqual([held, crash, held, crash]);
      await vi.waitFor(
        () =>
          expect(reports.filter((report) => report.kind === 'finished').map((report) => report.id)).toEqual([
            held,
            crash,
          ]),
        WAIT,
      );
    },
  );

  emulatorTest(
    "a close lets the shard's handlings finish first: the session it leaves resumes after them",
    async ({ emulatorOfTest }) => {
      const store = new InMemorySessionStore();
      const { emu, manager, reports } = await startReporting(emulatorOfTest, {
        data: { holdMs: 800 },
        manager: { sessionStore: store },
      });
      const seqBefore = manager.status()[0]?.seq ?? 0;
      publish(emu, 3, 1);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(3), WAIT);
      await manager.shutdownAll();
      expect(reports.filter((report) => report.kind === 'finished')).toHaveLength(3);
      expect((await store.get(0))?.seq).toBeGreaterThanOrEqual(seqBefore + 3);
    },
  );

  emulatorTest(
    'a shutdown while the handler module still sets up closes its shards at once, with no thread stopped as unresponsive',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const { channel, reports } = listen();
      const strategy = workerThreads({
        workers: 1,
        handler: REPORTING,
        handlerData: { channel, setupMs: 10_000 },
      });
      const manager = workerManager(emulatorOfTest, strategy);
      const errors: unknown[] = [];
      manager.on('error', (error) => errors.push(error));
      const run = failure(manager.start());
      await vi.waitFor(() => expect(strategy.threads()[0]?.thread).toBeDefined(), WAIT);
      const started = Date.now();
      await manager.shutdownAll();
      expect(Date.now() - started).toBeLessThan(2_000);
      await run;
      expect(strategy.threads()[0]?.restarts).toBe(0);
      expect(errors).toEqual([]);
      expect(reports.filter((report) => report.kind === 'setup')).toEqual([]);
    },
  );

  emulatorTest(
    'a close whose handlings outlast its grace leaves the session at the last event handled, returned and stored',
    async ({ emulatorOfTest }) => {
      const store = new InMemorySessionStore();
      const { emu, manager, reports } = await startReporting(emulatorOfTest, {
        data: { holdMs: 3_000 },
        manager: { sessionStore: store },
      });
      const seqBefore = manager.status()[0]?.seq;
      publish(emu, 3, 1);
      await vi.waitFor(() => expect(handled(reports)).toHaveLength(3), WAIT);
      const left = await manager.shutdown(0, { timeoutMs: 300 });
      expect(reports.filter((report) => report.kind === 'finished')).toEqual([]);
      expect(left?.seq).toBe(seqBefore);
      expect((await store.get(0))?.seq).toBe(seqBefore);
    },
  );

  emulatorTest.for([
    ['a shutdown that invalidates the sessions deletes the stored one', true],
    ['a handoff leaves the stored one and returns it', false],
  ] as const)(
    'a shard closed while the handler module sets up: %s',
    async ([, invalidate], { emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const { channel } = listen();
      const store = new InMemorySessionStore();
      const stored = { sessionId: 'stored-session', seq: 42, shardCount: 1 };
      await store.set(0, stored);
      const strategy = workerThreads({
        workers: 1,
        handler: REPORTING,
        handlerData: { channel, setupMs: 10_000 },
      });
      const manager = workerManager(emulatorOfTest, strategy, { sessionStore: store });
      void manager.start().catch(() => undefined);
      await vi.waitFor(() => expect(strategy.threads()[0]?.thread).toBeDefined(), WAIT);
      if (invalidate) {
        await manager.shutdownAll({ invalidateSessions: true });
        expect(await store.get(0)).toBeUndefined();
      } else {
        expect(await manager.handoff()).toEqual(new Map([[0, stored]]));
        expect(await store.get(0)).toEqual(stored);
      }
    },
  );

  emulatorTest.for(
    (
      [
        [
          'a default export that is not a function',
          'notAFunction',
          'its default export is an object, not a function',
        ],
        ['a setup that throws', 'failingSetup', 'the database is not reachable'],
        [
          'a setup that returns no dispatch method',
          'noDispatchSetup',
          'its setup returned an object without a dispatch(payload, shardId, shardCount) method',
        ],
        [
          'a setup that rejects with a plain object',
          'objectThrowingSetup',
          "{ code: 'ECONNREFUSED', port: 5432 }",
        ],
        ['a setup that throws a value with no string form', 'unprintableSetup', "reason: 'no prototype'"],
      ] as const
    ).flatMap(([what, name, reason]) =>
      (['stopAll', 'keepHealthy'] as const).map((onFatal) => [what, onFatal, name, reason] as const),
    ),
  )(
    'a handler module with %s stops the shards for good with a ThreadHandlerError, without restarts (onFatal %s)',
    async ([, onFatal, name, reason], { emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 2);
      const strategy = workerThreads({ workers: 1, handler: fixture(name), restartBaseMs: 10 });
      const manager = workerManager(emulatorOfTest, strategy, { onFatal });
      const errors: unknown[] = [];
      manager.on('error', (reported) => errors.push(reported));
      const fatal: number[] = [];
      manager.on('state', (state, _, shardId) => state === 'fatal' && fatal.push(shardId));
      const error = (await failure(manager.startShards(2))) as ThreadHandlerError;
      expect(error).toBeInstanceOf(ThreadHandlerError);
      // One error for the thread's shards, emitted once whichever way the manager takes it.
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBe(error);
      // 'stopAll' shuts shard 1 down once shard 0 failed; 'keepHealthy' leaves it to fail alike.
      expect(fatal).toEqual(onFatal === 'stopAll' ? [0] : [0, 1]);
      expect(error.kind).toBe('threadHandler');
      expect(error.thread).toBe(0);
      expect(error.message).toContain(`${name}.ts`);
      expect(error.message).toContain(reason);
      expect(error.shardIds).toEqual([0, 1]);
      expect(strategy.threads()[0]?.restarts).toBe(0);
    },
  );
});

describe('workerThreads({ handler }) options', () => {
  it.each([
    ['a handler that is a string', { handler: 'file:///handler.js' }, 'handler', 'must be a file: URL'],
    [
      'a handler that is not a file',
      { handler: new URL('https://example.com/handler.js') },
      'handler',
      'must be a file: URL',
    ],
    [
      'a handler timeout of 0',
      { handler: REPORTING, handlerTimeoutMs: 0 },
      'handlerTimeoutMs',
      'Infinity turns it off',
    ],
    [
      'a handler naming no file',
      { handler: new URL('file:///no/such/handler.js') },
      'handler',
      'which does not exist',
    ],
    [
      'handlerData without a handler',
      { handlerData: { channel: 'x' } },
      'handlerData',
      'without a handler module',
    ],
    [
      'handlerTimeoutMs without a handler',
      { handlerTimeoutMs: 1_000 },
      'handlerTimeoutMs',
      'without a handler module',
    ],
    [
      'handlerData with a function',
      { handler: REPORTING, handlerData: { send: () => undefined } },
      'handlerData',
      'structured clone',
    ],
  ])('refuses %s before any thread starts', (_case, options, field, text) => {
    const make = () => workerThreads({ workers: 1, ...(options as object) });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(expect.objectContaining({ field, message: expect.stringContaining(text) }));
  });
});
