import { BroadcastChannel, threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '@bot/testing';
import {
  Client,
  Intents,
  ThreadHandlerError,
  Token,
  ValidationError,
  WorkerRestartsExhaustedError,
  createLogger,
  workerThreads,
  type ClientBuilder,
  type ClientError,
  type ShardsReadyEvent,
  type ShardStatusEvent,
} from '@bot/client';
import type { ThreadClientData } from './fixtures/threadClient.js';
import { threadClientTests } from './support/threadClientTests.js';

const THREAD_CLIENT = new URL('./fixtures/threadClient.ts', import.meta.url);
const FAILING_THREAD_CLIENT = new URL('./fixtures/failingThreadClient.ts', import.meta.url);
const CRASHING_THREAD_CLIENT = new URL('./fixtures/crashingThreadClient.ts', import.meta.url);
const EMPTY_THREAD_CLIENT = new URL('./fixtures/emptyThreadClient.ts', import.meta.url);
const { stops, startEmulator, dataFor: dataOf } = threadClientTests();
const dataFor = (emulator: Emulator, extra: Partial<ThreadClientData> = {}): ThreadClientData =>
  dataOf<ThreadClientData>(emulator, extra);
/** The main client's builder for `emulator`, quiet below warnings. */
function mainBuilder(emulator: Emulator): ClientBuilder {
  return Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 5));
}

describe('ClientBuilder.workers(count, { handler }): a client on each worker thread', () => {
  it('handles the events on the threads: models, reply helpers and ctx.shard work there, none on the main thread, whose shardStatus and shardsReady hooks fire', async () => {
    const emulator = await startEmulator();
    const data = dataFor(emulator);
    const ready: ShardsReadyEvent[] = [];
    const states: ShardStatusEvent[] = [];
    const client = await mainBuilder(emulator)
      .workers(2, { handler: THREAD_CLIENT, handlerData: data })
      .eventHandler({
        shardsReady: (event) => void ready.push(event),
        shardStatus: (event) => void states.push(event),
      });
    const running = client.startShards(2);
    running.catch(() => undefined);
    stops.push(() => client.shutdown({ invalidateSessions: true }));
    await expect
      .poll(() => client.shardManager.status().map((status) => status.state), { timeout: 20_000 })
      .toEqual(['ready', 'ready']);
    // The READY dispatches stay on the threads; the main client announces the shards it owns.
    await expect.poll(() => ready, { timeout: 5_000 }).toEqual([{ shardIds: [0, 1], total: 2 }]);
    for (const shardId of [0, 1]) {
      expect(states).toContainEqual(expect.objectContaining({ shardId, state: 'ready' }));
    }

    const events = ['one', 'two', 'three'].map((content) => emulator.simulate.groupAtMessage({ content }));
    const sends = await emulator.recorder.waitForCount(
      (record) => record.kind === 'rest' && record.method === 'POST' && record.path.endsWith('/messages'),
      3,
    );
    const bodies = sends.map((record) => (record.kind === 'rest' ? record.body : undefined)) as Array<{
      content: string;
      msg_id: string;
      msg_seq: number;
    }>;
    // Group events reach shard 0 of 2, which runs on thread 0; the handler ran there, not here.
    const here = `(${threadId})`;
    expect(bodies.map((body) => body.msg_id)).toEqual(events.map((event) => event.d.id));
    for (const [index, body] of bodies.entries()) {
      expect(body.content).toMatch(
        new RegExp(`^thread 0 \\(\\d+\\), shard 0 of 2: ${['one', 'two', 'three'][index]}$`),
      );
      expect(body.content).not.toContain(here);
      expect(body.msg_seq).toBe(1);
    }
    expect(sends.every((record) => record.kind === 'rest' && record.status === 200)).toBe(true);
  });

  it('a thread client shut down by code on its own thread ends the thread; a new one takes the next events', async () => {
    const emulator = await startEmulator();
    const data = dataFor(emulator, { stopOn: '!stop' });
    const client = await mainBuilder(emulator).workers(1, {
      handler: THREAD_CLIENT,
      handlerData: data,
      restartBaseMs: 50,
    });
    const running = client.startShards(1);
    running.catch(() => undefined);
    stops.push(() => client.shutdown({ invalidateSessions: true }));
    await expect
      .poll(() => client.shardManager.status().map((status) => status.state), { timeout: 20_000 })
      .toEqual(['ready']);
    const sends = (): string[] =>
      emulator.recorder
        .filter(
          (record) => record.kind === 'rest' && record.method === 'POST' && record.path.endsWith('/messages'),
        )
        .map((record) => (record.kind === 'rest' ? (record.body as { content: string }).content : ''));
    emulator.simulate.groupAtMessage({ content: 'before' });
    await expect.poll(sends, { timeout: 10_000 }).toHaveLength(1);
    emulator.simulate.groupAtMessage({ content: '!stop' });
    await expect.poll(() => client.shardManager.status()[0]?.reconnects, { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => client.shardManager.status().map((status) => status.state), { timeout: 20_000 })
      .toEqual(['ready']);
    emulator.simulate.groupAtMessage({ content: 'after' });
    await expect.poll(sends, { timeout: 10_000 }).toHaveLength(2);
    const threadOf = (content: string | undefined): string | undefined =>
      /\((\d+)\)/.exec(content ?? '')?.[1];
    const [before, after] = sends();
    expect(after).toMatch(/: after$/);
    // Answered by the client of a new thread.
    expect(threadOf(after)).not.toBe(threadOf(before));
  });

  it("shuts each thread's client down before the main client's shutdown resolves", async () => {
    const emulator = await startEmulator();
    const channel = `thread-clients-${process.pid}`;
    const shutDown: number[] = [];
    const listener = new BroadcastChannel(channel);
    listener.onmessage = (event) => shutDown.push((event as { data: { shutDown: number } }).data.shutDown);
    stops.push(async () => listener.close());
    const data = dataFor(emulator, { channel });
    const client = await mainBuilder(emulator).workers(2, { handler: THREAD_CLIENT, handlerData: data });
    const running = client.startShards(2);
    running.catch(() => undefined);
    await expect
      .poll(() => client.shardManager.status().map((status) => status.state), { timeout: 20_000 })
      .toEqual(['ready', 'ready']);
    await client.shutdown();
    // shutdown() resolves once the threads have ended, their clients shut down first (the reports
    // cross a channel: a moment, not the threads' 10 s).
    await expect.poll(() => [...shutDown].sort(), { timeout: 500, interval: 10 }).toEqual([0, 1]);
  });

  it("reports a thread client module's failed setup to the main client's error() hook, once, as the ThreadHandlerError start rejects with", async () => {
    const emulator = await startEmulator();
    const errors: ClientError[] = [];
    const client = await mainBuilder(emulator)
      .workers(1, { handler: FAILING_THREAD_CLIENT, restartBaseMs: 10 })
      .eventHandler({ error: (error) => void errors.push(error) });
    stops.push(() => client.shutdown());

    const failure = await client.startShards(2).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ThreadHandlerError);
    const error = failure as ThreadHandlerError;
    expect(error.kind).toBe('threadHandler');
    expect(error.shardIds).toEqual([0, 1]);
    expect(error.message).toContain('the database is not reachable');
    expect(errors).toEqual([error]);
  });

  it('a thread client factory that returns no builder or client stops its shards with a ThreadHandlerError saying what to return', async () => {
    const emulator = await startEmulator();
    const client = await mainBuilder(emulator)
      .workers(1, { handler: EMPTY_THREAD_CLIENT, restartBaseMs: 10 })
      .eventHandler({ error: () => undefined });
    stops.push(() => client.shutdown());

    const failure = await client.startShards(1).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ThreadHandlerError);
    expect((failure as ThreadHandlerError).message).toContain(
      'its defineThreadClient factory returned undefined, not a ClientBuilder or a Client: return Client.builder(…)',
    );
  });
});

describe('ClientBuilder.workers(count, { handler }): a thread that keeps crashing', () => {
  it.each(['stopAll', 'keepHealthy'] as const)(
    "reports the WorkerRestartsExhaustedError start rejects with to the main client's error() hook, once, as itself (onFatal %s)",
    async (onFatal) => {
      const emulator = await startEmulator();
      const errors: ClientError[] = [];
      const states: ShardStatusEvent[] = [];
      const client = await mainBuilder(emulator)
        .gateway({ onFatal })
        .workers(1, { handler: CRASHING_THREAD_CLIENT, maxRestarts: 1, restartBaseMs: 10, restartMaxMs: 20 })
        .eventHandler({
          error: (error) => void errors.push(error),
          shardStatus: (event) => void states.push(event),
        });
      stops.push(() => client.shutdown());

      const failure = await client.startShards(2).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(WorkerRestartsExhaustedError);
      const error = failure as WorkerRestartsExhaustedError;
      expect(error).toMatchObject({
        kind: 'workerRestartsExhausted',
        thread: 0,
        restarts: 1,
        shardIds: [0, 1],
      });
      expect((error.cause as Error).message).toContain('the thread crashed on purpose');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBe(error);
      // 'stopAll' shuts shard 1 down once shard 0 failed; 'keepHealthy' leaves it to fail alike.
      const fatal = states.filter((event) => event.state === 'fatal').map((event) => event.shardId);
      expect(fatal).toEqual(onFatal === 'stopAll' ? [0] : [0, 1]);
    },
  );
});

describe('ClientBuilder with handlers on the threads: what the main thread may register', () => {
  const token = (): Token => new Token('102000000', 'secret');
  const onThreads = {
    'workers(1, { handler })': (): ClientBuilder =>
      Client.builder(token(), Intents.default()).workers(1, { handler: THREAD_CLIENT }),
    'gateway({ strategy: workerThreads({ handler }) })': (): ClientBuilder =>
      Client.builder(token(), Intents.default()).gateway({
        strategy: workerThreads({ workers: 1, handler: THREAD_CLIENT }),
      }),
  };

  describe.each(Object.entries(onThreads))('with %s', (_, builder) => {
    it('builds with no handler, or with handlers having only lifecycle hooks (error, ratelimit, shardStatus, shardsReady)', async () => {
      await expect(builder().build()).resolves.toBeInstanceOf(Client);
      class Hooks {
        public error(): void {}
        public ratelimit(): void {}
        public shardStatus(): void {}
        public shardsReady(): void {}
      }
      await expect(builder().eventHandler(new Hooks()).eventHandler({}).build()).resolves.toBeInstanceOf(
        Client,
      );
    });

    it('refuses a handler with an event method, naming the handler and the method', async () => {
      const refusal = await builder()
        .eventHandler({ error: () => undefined })
        .eventHandler({ shardsReady: () => undefined, groupMessageCreate: () => undefined })
        .build()
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).field).toBe('eventHandler[1].groupMessageCreate');
      expect((refusal as ValidationError).message).toMatch(
        /groupMessageCreate is registered on the main thread, where no event arrives with handlers on the worker threads: register it in the handler module \(defineThreadClient\)/,
      );
      // A method inherited from a class counts as well.
      class Bot {
        public messageCreate(): void {}
      }
      await expect(builder().eventHandler(new Bot()).build()).rejects.toThrow(
        /^eventHandler\[0\]\.messageCreate is registered on the main thread/,
      );
    });

    it('refuses any raw handler, naming it', async () => {
      await expect(
        builder()
          .rawEventHandler({ raw: () => undefined })
          .build(),
      ).rejects.toThrow(
        /^rawEventHandler\[0\] is registered on the main thread, where no event arrives with handlers on the worker threads/,
      );
    });
  });

  it('still requires a handler when the threads run the shards only (no handler module)', async () => {
    await expect(
      Client.builder(token(), Intents.default())
        .gateway({ strategy: workerThreads({ workers: 1 }) })
        .build(),
    ).rejects.toThrow(/eventHandler is missing/);
  });
});
