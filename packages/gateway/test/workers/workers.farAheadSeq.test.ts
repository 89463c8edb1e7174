import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InMemorySessionStore,
  ShardManager,
  workerThreads,
  type DispatchPayload,
  type WorkerThreadsOptions,
} from '@bot/gateway';
import { FakeGateway } from '../support/FakeGateway.js';
import { FakeGatewayInfo } from '../support/gatewayInfo.js';
import { FakeTokens, silentLogger } from '../support/harness.js';
import { handled, listen } from './support/handlerReports.js';
import { REPORTING } from './support/reportingShard.js';

let gateway: FakeGateway | undefined;
let manager: ShardManager | undefined;
afterEach(async () => {
  await manager?.shutdownAll().catch(() => undefined);
  await gateway?.close();
  manager = undefined;
  gateway = undefined;
});

const WAIT = { timeout: 15_000, interval: 20 };

/** One shard on one worker thread (`options`), ready on a fake gateway; its store and strategy. */
async function readyOnThread(options: Partial<WorkerThreadsOptions>) {
  const fake = await FakeGateway.start({ heartbeatInterval: 40_000 });
  gateway = fake;
  const store = new InMemorySessionStore();
  const strategy = workerThreads({ maxRestarts: 3, restartBaseMs: 20, ...options, workers: 1 });
  const started = new ShardManager({
    intents: 1 << 30,
    tokens: new FakeTokens(),
    sessionStore: store,
    gateway: new FakeGatewayInfo(fake.url, {
      total: 1000,
      remaining: 1000,
      reset_after: 0,
      max_concurrency: 1,
    }),
    logger: silentLogger(),
    strategy,
  });
  manager = started;
  started.on('error', () => undefined);
  void started.start().catch(() => undefined);
  await vi.waitFor(() => expect(started.status()[0]?.state).toBe('ready'), WAIT);
  return { fake, store, strategy, started };
}

/** After READY (1): a hostile 2^53 - 1, then 2 and 3 as the session goes on. */
function farAheadThen2And3(fake: FakeGateway): void {
  fake.last.send({
    op: 0,
    s: Number.MAX_SAFE_INTEGER,
    t: 'AT_MESSAGE_CREATE',
    id: 'far',
    d: { content: 'far' },
  });
  fake.last.dispatch('AT_MESSAGE_CREATE', { content: '2' });
  fake.last.dispatch('AT_MESSAGE_CREATE', { content: '3' });
}

describe('a dispatch numbered far ahead, on a worker thread', () => {
  it("without a handler module: delivered, but the main thread's resume point stays the shard's; a lost thread's session is stored and resumed from 3", async () => {
    const { fake, store, strategy, started } = await readyOnThread({});
    const dispatched: DispatchPayload[] = [];
    started.on('dispatch', (payload) => dispatched.push(payload));
    farAheadThen2And3(fake);
    await vi.waitFor(() => expect(dispatched).toHaveLength(3), WAIT);
    expect(dispatched.map((payload) => payload.s)).toEqual([Number.MAX_SAFE_INTEGER, 2, 3]);
    expect(started.status()[0]?.seq).toBe(3);

    await strategy.threads()[0]?.thread?.terminate();
    await vi.waitFor(() => expect(fake.received(6)).toHaveLength(1), WAIT);
    expect((fake.received(6)[0]?.d as { seq: number }).seq).toBe(3);
    expect((await store.get(0))?.seq).toBe(3);
    await vi.waitFor(() => expect(started.status()[0]?.state).toBe('ready'), WAIT);

    const before = dispatched.length;
    fake.last.dispatch('AT_MESSAGE_CREATE', { content: '4' });
    fake.last.dispatch('AT_MESSAGE_CREATE', { content: '5' });
    await vi.waitFor(
      () =>
        expect(dispatched.slice(before).filter((payload) => payload.t === 'AT_MESSAGE_CREATE')).toHaveLength(
          2,
        ),
      WAIT,
    );
    expect(started.status()[0]?.seq).toBe(5);
  }, 40_000);

  it('with a handler module: handled, but how far the session is handled stays at the last plausible seq; the next thread resumes from 3', async () => {
    const { channel, reports } = listen();
    const { fake, store, strategy, started } = await readyOnThread({
      handler: REPORTING,
      handlerData: { channel },
    });
    farAheadThen2And3(fake);
    await vi.waitFor(() => expect(handled(reports)).toHaveLength(3), WAIT);
    await vi.waitFor(() => expect(started.status()[0]?.seq).toBe(3), WAIT);

    await strategy.threads()[0]?.thread?.terminate();
    await vi.waitFor(() => expect(fake.received(6)).toHaveLength(1), WAIT);
    expect((fake.received(6)[0]?.d as { seq: number }).seq).toBe(3);
    expect((await store.get(0))?.seq).toBe(3);
    await vi.waitFor(() => expect(started.status()[0]?.state).toBe('ready'), WAIT);

    fake.last.dispatch('AT_MESSAGE_CREATE', { content: '4' });
    await vi.waitFor(() => expect(handled(reports).map((report) => report.content)).toContain('4'), WAIT);
    await vi.waitFor(() => expect(started.status()[0]?.seq).toBe(4), WAIT);
  }, 40_000);
});
