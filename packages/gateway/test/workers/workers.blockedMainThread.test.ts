import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { AccessTokenProvider, Token } from '@bot/http';
import {
  InMemorySessionStore,
  ShardManager,
  workerThreads,
  type DispatchPayload,
  type ShardCloseEvent,
  type ShardStrategy,
} from '@bot/gateway';
import { ALL_INTENT_BITS } from '../support/emulator.js';
import { silentLogger } from '../support/harness.js';
import { EmulatorProcess } from './support/emulatorProcess.js';

/** Heartbeat interval in Hello; the platform (and the emulator) close a connection silent for twice as long. */
const HEARTBEAT_MS = 2_000;
/** How long the handler keeps the main thread busy: three heartbeat intervals. */
const BLOCK_MS = 3 * HEARTBEAT_MS;
const EVENTS = 20;

interface Outcome {
  closes: ShardCloseEvent[];
  delivered: string[];
  published: string[];
  sessionBefore: string | undefined;
  sessionAfter: string | undefined;
  stored: string | undefined;
  heartbeatsDuringBlock: number;
  serverCloses: { code: number; reason: string }[];
}

/**
 * Starts one shard with `strategy` against an emulator in another process, publishes a message
 * whose handler keeps the main thread busy for {@link BLOCK_MS} and {@link EVENTS} more, and
 * reports what the platform and the bot saw.
 */
async function blockTheMainThread(strategy: ShardStrategy | undefined): Promise<Outcome> {
  const emulator = await EmulatorProcess.start([
    '--heartbeat-interval',
    String(HEARTBEAT_MS),
    '--intents',
    'all',
  ]);
  onTestFinished(() => emulator.stop());
  const logger = silentLogger();
  const store = new InMemorySessionStore();
  const manager = new ShardManager({
    intents: ALL_INTENT_BITS,
    tokens: new AccessTokenProvider(new Token(emulator.info.appId, emulator.info.secret), {
      tokenUrl: emulator.info.tokenUrl,
      logger,
    }),
    gateway: emulator.gatewayInfo(),
    sessionStore: store,
    logger,
    ...(strategy === undefined ? {} : { strategy }),
  });
  // Shut down after the test, before the emulator stops (the last registered runs first).
  onTestFinished(() => manager.shutdownAll());
  manager.on('error', () => undefined);
  void manager.start().catch(() => undefined);
  await vi.waitFor(() => expect(manager.status()[0]?.state).toBe('ready'), { timeout: 20_000, interval: 50 });
  const sessionBefore = manager.status()[0]?.sessionId;

  const closes: ShardCloseEvent[] = [];
  const delivered: string[] = [];
  let block: { from: number; to: number } | undefined;
  manager.on('close', (event) => closes.push(event));
  manager.on('dispatch', (payload: DispatchPayload) => {
    if (payload.t !== 'AT_MESSAGE_CREATE') return;
    const content = (payload.d as { content?: string }).content;
    if (content === 'block') {
      const from = Date.now();
      while (Date.now() - from < BLOCK_MS) {
        // A handler doing CPU work: nothing else runs on this thread meanwhile.
      }
      block = { from, to: Date.now() };
    } else delivered.push(payload.id ?? '');
  });
  const published: string[] = [];
  const send = async (content: string): Promise<string> =>
    (
      (await emulator.control('POST', '/simulate/dispatch', { t: 'AT_MESSAGE_CREATE', d: { content } })) as {
        id: string;
      }
    ).id;
  await send('block');
  for (let i = 0; i < EVENTS; i++) published.push(await send(`#${i}`));
  await vi.waitFor(
    () => {
      expect(block).toBeDefined();
      expect(delivered).toHaveLength(EVENTS);
      expect(manager.status()[0]?.state).toBe('ready');
    },
    { timeout: 30_000, interval: 50 },
  );
  const window = block!;
  const heartbeats = (await emulator.control('GET', '/records?kind=gateway&op=1')) as { at: number }[];
  const serverCloses = (await emulator.control('GET', '/records?kind=close')) as {
    code: number;
    reason: string;
  }[];
  await manager.shutdownAll();
  return {
    closes,
    delivered,
    published,
    sessionBefore,
    sessionAfter: manager.status()[0]?.sessionId ?? (await store.get(0))?.sessionId,
    stored: (await store.get(0))?.sessionId,
    heartbeatsDuringBlock: heartbeats.filter(({ at }) => at > window.from && at < window.to).length,
    serverCloses: serverCloses.map(({ code, reason }) => ({ code, reason })),
  };
}

function summary(name: string, outcome: Outcome): string {
  const closes = outcome.serverCloses.map(({ code, reason }) => `${code} (${reason})`).join(', ') || 'none';
  return (
    `${name}: main thread blocked ${BLOCK_MS} ms (3 × ${HEARTBEAT_MS} ms heartbeat); ` +
    `heartbeats the platform received meanwhile: ${outcome.heartbeatsDuringBlock}; ` +
    `platform closes: ${closes}; shard close events: ${outcome.closes.map((c) => `${c.code ?? '-'}→${c.next}`).join(', ') || 'none'}; ` +
    `session kept: ${outcome.sessionAfter === outcome.sessionBefore}; events delivered: ${outcome.delivered.length}/${EVENTS}`
  );
}

describe('a handler that blocks the main thread for 3 heartbeat intervals', () => {
  it('with worker threads: heartbeats go on, the platform closes nothing, the session and every event are kept', async () => {
    const outcome = await blockTheMainThread(workerThreads({ workers: 1 }));
    console.info(summary('worker threads', outcome));
    expect(outcome.heartbeatsDuringBlock).toBeGreaterThanOrEqual(2);
    expect(outcome.serverCloses).toEqual([]);
    expect(outcome.closes).toEqual([]);
    expect(outcome.sessionAfter).toBe(outcome.sessionBefore);
    expect(outcome.stored).toBe(outcome.sessionBefore);
    expect(outcome.delivered.sort()).toEqual(outcome.published.sort());
  }, 90_000);

  it('in-process: no heartbeat leaves, the platform closes the silent connection with 4009, the shard resumes the same session once the thread is free', async () => {
    const outcome = await blockTheMainThread(undefined);
    console.info(summary('in-process', outcome));
    expect(outcome.heartbeatsDuringBlock).toBe(0);
    expect(outcome.serverCloses.map(({ code }) => code)).toEqual([4009]);
    expect(outcome.closes.map(({ code, next }) => [code, next])).toEqual([[4009, 'resume']]);
    expect(outcome.sessionAfter).toBe(outcome.sessionBefore);
    expect(outcome.delivered.sort()).toEqual(outcome.published.sort());
  }, 90_000);
});
