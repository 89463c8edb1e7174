import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '@bot/testing';
import { Client, Intents, ThreadClientError, Token, type ClientBuilder, type ClientError } from '@bot/client';
import type { StuckThreadClientData } from './fixtures/stuckThreadClient.js';
import { recordingLogger } from './support/recordingLogger.js';
import { threadClientTests } from './support/threadClientTests.js';

const STUCK_THREAD_CLIENT = new URL('./fixtures/stuckThreadClient.ts', import.meta.url);
const FAILING_THREAD_CLIENT = new URL('./fixtures/failingThreadClient.ts', import.meta.url);
const { stops, startEmulator, dataFor: dataOf } = threadClientTests();
const dataFor = (emulator: Emulator, extra: Partial<StuckThreadClientData> = {}): StuckThreadClientData =>
  dataOf<StuckThreadClientData>(emulator, extra);
/** The main client's builder on one worker thread running the stuck thread client, logging to `lines`. */
function mainBuilder(emulator: Emulator, data: StuckThreadClientData, intents = Intents.all()) {
  const { log, lines } = recordingLogger();
  const builder: ClientBuilder = Client.builder(new Token(emulator.appId, emulator.secret), intents)
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(log)
    .workers(1, { handler: STUCK_THREAD_CLIENT, handlerData: data });
  return { builder, lines };
}

async function untilReady(client: Client): Promise<void> {
  const running = client.startShards(1);
  running.catch(() => undefined);
  await expect
    .poll(() => client.shardManager.status().map((status) => status.state), { timeout: 20_000 })
    .toEqual(['ready']);
}

const messageOf = (line: { message: unknown }): string => String(line.message);

/**
 * After `errors` got its one report, makes the thread fail once more and waits for that report:
 * the thread's port is ordered, so a second report of the first failure would have arrived before
 * it, and the count is then exactly 2, one per failure.
 */
async function expectNoSecondReport(emulator: Emulator, errors: ClientError[]): Promise<void> {
  const next = emulator.simulate.groupAtMessage({ content: 'fail' });
  await expect
    .poll(() => errors.some((error) => error.message.includes(`the handler failed on ${next.d.id}`)), {
      timeout: 10_000,
    })
    .toBe(true);
  expect(errors).toHaveLength(2);
}

describe('a thread client with no error() of its own: its failures reach the main client', () => {
  it.each([
    ['a builder the thread completes', false],
    ['a client the factory built (an async factory)', true],
  ])(
    "a handler that throws on the thread reaches the main client's error() as a ThreadClientError naming the thread, the shard and the original: %s",
    async (_, builtByFactory) => {
      const emulator = await startEmulator();
      const errors: ClientError[] = [];
      const { builder } = mainBuilder(emulator, dataFor(emulator, { builtByFactory }));
      const client = await builder.eventHandler({ error: (error) => void errors.push(error) });
      stops.push(() => client.shutdown());
      await untilReady(client);

      const event = emulator.simulate.groupAtMessage({ content: 'fail' });
      await expect.poll(() => errors.length, { timeout: 10_000 }).toBe(1);
      await expectNoSecondReport(emulator, errors);
      const error = errors[0] as ThreadClientError;
      expect(error).toBeInstanceOf(ThreadClientError);
      expect(error.kind).toBe('threadClient');
      expect(error.thread).toBe(0);
      expect(error.shardId).toBe(0);
      expect(error.reportedName).toBe('HandlerError');
      expect(error.reportedKind).toBe('handler');
      expect(error.message).toContain('worker thread 0');
      expect(error.message).toContain(`the handler failed on ${event.d.id}`);
    },
  );

  it("the main client's shutdown deadline bounds the thread's handlers: one that never settles holds shutdown() no longer than the deadline allows, and the events given up on are told on the main thread", async () => {
    const emulator = await startEmulator();
    const errors: ClientError[] = [];
    const { builder, lines } = mainBuilder(emulator, dataFor(emulator));
    const client = await builder
      .shutdownDeadline(1_000)
      .eventHandler({ error: (error) => void errors.push(error) });
    stops.push(() => client.shutdown());
    await untilReady(client);
    emulator.simulate.groupAtMessage({ content: 'hang' });
    // An event after it, failing, shows the thread has read the one that hangs.
    emulator.simulate.groupAtMessage({ content: 'fail' });
    await expect.poll(() => errors.length, { timeout: 10_000 }).toBe(1);
    await expectNoSecondReport(emulator, errors);

    // Before: about 9 s (the shards' 5 s close grace, then the thread client's own 5 s). The
    // outcome states the rule: the thread reported its close within the deadline plus the margin,
    // and its close() was not cut off, either of which logs a "did not … within" line. The 6 s
    // bound only catches a shutdown that hangs, well under the old 9 s and far from the 1 s deadline.
    const outcome = await Promise.race([
      client.shutdown().then(() => 'shut down'),
      new Promise((resolve) => setTimeout(resolve, 6_000, 'still shutting down')),
    ]);
    expect(outcome).toBe('shut down');
    const cutOff = lines
      .map(messageOf)
      .filter((text) => /did not (report its close|finish) within/.test(text));
    expect(cutOff).toEqual([]);
    const abandoned = lines.filter((line) => messageOf(line).includes('AbandonedEventsError'));
    expect(abandoned).toHaveLength(1);
    expect(messageOf(abandoned[0]!)).toContain('1 event(s) not fully handled');
  });

  it('a thread client with an error() of its own keeps its failures: the main client hears none', async () => {
    const emulator = await startEmulator();
    const channel = `own-errors-${process.pid}`;
    const kinds: string[] = [];
    const listener = new BroadcastChannel(channel);
    listener.onmessage = (event) => kinds.push((event as { data: string }).data);
    stops.push(async () => listener.close());
    const errors: ClientError[] = [];
    const { builder } = mainBuilder(emulator, dataFor(emulator, { ownErrorChannel: channel }));
    const client = await builder.eventHandler({ error: (error) => void errors.push(error) });
    stops.push(() => client.shutdown());
    await untilReady(client);

    emulator.simulate.groupAtMessage({ content: 'fail' });
    await expect.poll(() => kinds, { timeout: 10_000 }).toEqual(['handler']);
    // One more failure, and so one more round trip: none of the first reaches the main client late.
    emulator.simulate.groupAtMessage({ content: 'fail' });
    await expect.poll(() => kinds, { timeout: 10_000 }).toEqual(['handler', 'handler']);
    expect(errors).toEqual([]);
  });
});

describe("a thread client's handler methods the shards' intents leave without events", () => {
  it.each([
    ['a builder the thread completes', false],
    ['a client the factory built (an async factory)', true],
  ])(
    "are warned of on the thread, against the main client's intents, naming the main client as where to add them: %s",
    async (_, builtByFactory) => {
      const emulator = await startEmulator();
      const { builder, lines } = mainBuilder(
        emulator,
        dataFor(emulator, { builtByFactory }),
        Intents.default(),
      );
      const client = await builder;
      stops.push(() => client.shutdown());
      await untilReady(client);

      await expect
        .poll(() => lines.filter((line) => line.level === 'WARN').map(messageOf), { timeout: 10_000 })
        .toContainEqual(expect.stringContaining('needs GROUP_AND_C2C_EVENT: add .withGroupAndC2cEvent()'));
      const warning = lines.map(messageOf).find((text) => text.includes('groupMessageCreate'));
      expect(warning).toContain("add them to the main thread's Client.builder(…)");
    },
  );
});

describe('a thread client module that fails to set up', () => {
  it("is reported once: to the main client's error() without an error line, or as one error line without error()", async () => {
    const emulator = await startEmulator();
    const setupFailed = (line: { level: string; message: unknown }): boolean =>
      line.level === 'ERROR' && messageOf(line).includes('could not set up its dispatch handler');
    for (const withHook of [true, false]) {
      const { log, lines } = recordingLogger();
      const errors: ClientError[] = [];
      const builder = Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(log)
        .workers(1, { handler: FAILING_THREAD_CLIENT, restartBaseMs: 10 });
      const client = await (withHook ? builder.eventHandler({ error: (e) => void errors.push(e) }) : builder);
      stops.push(() => client.shutdown());
      await client.startShards(1).catch(() => undefined);
      expect(errors).toHaveLength(withHook ? 1 : 0);
      expect(lines.filter(setupFailed)).toHaveLength(withHook ? 0 : 1);
    }
  });
});
