/**
 * The gateway-proxy example's recipe against the emulator: a slow downstream holds the proxy's
 * queue at its high mark, and a proxy killed (SIGKILL) while the downstream had confirmed only part
 * of the events is replaced by one that resumes its session and forwards every event, none lost;
 * a new session never stores a seq its downstream has not confirmed, and is reported. The parts
 * alone: store writes coalesced, durableSeq answering what the store holds, refused events given
 * up to a dead-letter hook, listeners that throw, and a stop that cuts the forward under way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InMemorySessionStore,
  Intents,
  gatewayInfoFromRest,
  workerThreads,
  type SessionInfo,
  type ShardManagerOptions,
} from '@bot/gateway';
import { RestClient, Token } from '@bot/http';
import { Emulator, type CloseRecord, type GatewayFrameRecord } from '@bot/testing';
import { ConfirmedSeqStore } from '../gateway-proxy/ConfirmedSeqStore.js';
import { FileSessionStore, SessionFileError } from '../gateway-proxy/FileSessionStore.js';
import {
  DEFAULT_HIGH_MARK as HIGH_MARK,
  DEFAULT_LOW_MARK as LOW_MARK,
  DeadLetterError,
  GatewayProxy,
  ProxyStrategyError,
  SessionReplacedError,
  type GatewayProxyOptions,
} from '../gateway-proxy/GatewayProxy.js';
import {
  ForwardQueue,
  type ForwardedEvent,
  type ForwardQueueOptions,
} from '../gateway-proxy/ForwardQueue.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INTENTS = Intents.of('GUILDS', 'PUBLIC_GUILD_MESSAGES');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Polls `done` every 20 ms; rejects naming `what` after `timeoutMs`. */
async function until(done: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const startedAt = Date.now();
  while (!done()) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Publishes `count` guild messages; returns their event ids in order. */
function publish(emulator: Emulator, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => emulator.simulate.guildAtMessage({ content: `event ${i}` }).id,
  );
}

describe('the gateway-proxy example', () => {
  it('keeps its queue at the high mark while a slow downstream (5 ms per event) catches up', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all' });
    cleanups.push(() => emulator.stop());
    const rest = new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: emulator.tokenUrl,
    });
    cleanups.push(() => rest.destroy());
    const received: ForwardedEvent[] = [];
    const proxy = new GatewayProxy({
      manager: { intents: INTENTS, tokens: rest.tokens, gateway: gatewayInfoFromRest(rest) },
      store: new InMemorySessionStore(),
      downstream: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        received.push(event);
      },
      highMark: HIGH_MARK,
      lowMark: LOW_MARK,
    });
    const running = proxy.manager.start();
    await new Promise<void>((resolve) => proxy.manager.once('ready', () => resolve()));
    const ids = publish(emulator, 1_500);
    const arrived = (): number => received.filter((event) => event.payload.id !== undefined).length;
    await until(() => arrived() >= ids.length, 'every event forwarded');
    const { unconfirmed } = await proxy.stop(5_000);
    await running;

    const forwarded = received.flatMap((event) => (event.payload.id === undefined ? [] : [event.payload.id]));
    expect(forwarded).toEqual(ids); // each once, in order
    const seqs = received.map((event) => event.payload.s ?? 0);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(unconfirmed).toBe(0);
    console.info(`slow downstream: ${ids.length} events, the queue held at most ${proxy.queue.peak}`);
    expect(proxy.queue.peak).toBeLessThanOrEqual(HIGH_MARK);
    expect(proxy.queue.peak).toBeGreaterThan(LOW_MARK); // the downstream did fall behind
  }, 60_000);

  it('forwards each event once across a dropped connection, resuming from the confirmed seq', async () => {
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 1_000,
      strictResume: true,
    });
    cleanups.push(() => emulator.stop());
    const rest = new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: emulator.tokenUrl,
    });
    cleanups.push(() => rest.destroy());
    const forwarded: string[] = [];
    const proxy = new GatewayProxy({
      manager: { intents: INTENTS, tokens: rest.tokens, gateway: gatewayInfoFromRest(rest) },
      store: new InMemorySessionStore(),
      downstream: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (event.payload.id !== undefined) forwarded.push(event.payload.id);
      },
      highMark: HIGH_MARK,
      lowMark: LOW_MARK,
    });
    const running = proxy.manager.start();
    await new Promise<void>((resolve) => proxy.manager.once('ready', () => resolve()));
    const ids = publish(emulator, 600);
    await until(() => forwarded.length >= 200, 'the first 200 events forwarded');
    // Read frames the socket had already taken in still come out after the drop, until it closes.
    let readAtClose = 0;
    proxy.manager.once('close', () => (readAtClose = proxy.manager.status()[0]?.seq ?? 0));
    expect(emulator.faults.dropSocket(0)).toBe(1); // the queue still holds events read past the confirmed seq
    await until(() => forwarded.length >= ids.length, 'every event forwarded');
    await proxy.stop(5_000);
    await running;

    expect(forwarded).toEqual(ids); // once each, in order: the replay's repeats were dropped
    const resumes = frames(emulator, 6);
    expect(resumes).toHaveLength(1);
    // Resumed from what was confirmed, behind what had been read: the platform replayed the rest.
    expect((resumes[0]?.d as { seq: number }).seq).toBeLessThan(readAtClose);
    expect(emulator.recorder.filter((record) => record.kind === 'close' && record.code === 4007)).toEqual([]);
  }, 60_000);

  it('resumes after a crash from what the downstream confirmed: every event arrives, none lost', async () => {
    // Heartbeats every second, and a resume from behind what they acknowledged is refused (4007).
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 1_000,
      strictResume: true,
    });
    cleanups.push(() => emulator.stop());
    const downstream = await TestDownstream.start();
    cleanups.push(() => downstream.stop());
    const scratch = await mkdtemp(join(tmpdir(), 'gateway-proxy-test-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    const env = {
      QQ_BOT_APP_ID: emulator.appId,
      QQ_BOT_SECRET: emulator.secret,
      QQ_BOT_API_URL: emulator.restUrl,
      QQ_BOT_TOKEN_URL: emulator.tokenUrl,
      QQ_BOT_LOG_LEVEL: 'warn',
      PROXY_DOWNSTREAM_URL: downstream.url,
      PROXY_SESSION_FILE: join(scratch, 'sessions.json'),
    };

    downstream.confirmLimit = 300; // confirms 300 events, then leaves every POST unanswered
    const first = startProxy(env);
    cleanups.push(() => first.stop());
    await first.ready;
    const ids = publish(emulator, 1_000);
    await until(() => downstream.confirmed === 300, 'the first 300 events confirmed');
    // Two heartbeats go out while the downstream stalls: the platform is told how far it may forget.
    const beats = frames(emulator, 1).length;
    await until(() => frames(emulator, 1).length >= beats + 2, 'two heartbeats during the stall', 10_000);
    const acknowledged = Math.max(
      0,
      ...frames(emulator, 1).map((frame) => (typeof frame.d === 'number' ? frame.d : 0)),
    );
    const stored = JSON.parse(await readFile(env.PROXY_SESSION_FILE, 'utf8')) as Record<
      string,
      { seq: number }
    >;
    first.child.kill('SIGKILL'); // no shutdown: the queue and everything unconfirmed die with it
    await first.exited;
    expect(downstream.distinct()).toBeLessThan(ids.length);
    // Nothing past the confirmed events was stored or acknowledged.
    expect(stored['0']?.seq).toBeLessThanOrEqual(downstream.highestConfirmedSeq);
    expect(acknowledged).toBeLessThanOrEqual(stored['0']?.seq ?? 0);

    downstream.confirmLimit = Infinity;
    downstream.releaseStalled();
    const second = startProxy(env);
    cleanups.push(() => second.stop());
    await second.ready;
    await until(() => ids.every((id) => downstream.ids.has(id)), 'every event forwarded after the restart');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0); // an orderly stop: drained, sessions kept

    const lost = ids.filter((id) => !downstream.ids.has(id));
    const repeated = downstream.posts - downstream.distinct();
    console.info(
      `crash: ${ids.length} events, ${lost.length} lost, ${repeated} forwarded twice; heartbeats had ` +
        `acknowledged ${acknowledged}, the file held seq ${stored['0']?.seq}, 300 confirmed`,
    );
    expect(lost).toEqual([]);
    expect(frames(emulator, 2)).toHaveLength(1); // one Identify: the replacement resumed
    expect(frames(emulator, 6).length).toBeGreaterThanOrEqual(1);
    const refused = emulator.recorder.filter(
      (record): record is CloseRecord => record.kind === 'close' && record.code === 4007,
    );
    expect(refused).toEqual([]);
  }, 90_000);

  it('stores the seq of the session it runs only: a re-identify never stores what the new session did not confirm', async () => {
    // Downstream at 200 ms per event: the old session's events are still queued when the new one starts.
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 1_000,
      strictResume: true,
    });
    cleanups.push(() => emulator.stop());
    const rest = new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: emulator.tokenUrl,
    });
    cleanups.push(() => rest.destroy());
    const inner = new InMemorySessionStore();
    const received: ForwardedEvent[] = [];
    const errors: unknown[] = [];
    const proxy = new GatewayProxy({
      manager: { intents: INTENTS, tokens: rest.tokens, gateway: gatewayInfoFromRest(rest) },
      store: inner,
      downstream: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        received.push(event);
      },
      minWriteIntervalMs: 0,
      onError: (error) => errors.push(error),
    });
    const running = proxy.manager.start();
    await new Promise<void>((resolve) => proxy.manager.once('ready', () => resolve()));
    const oldSession = proxy.manager.status()[0]?.sessionId;
    publish(emulator, 40);
    await until(() => received.length >= 5, 'the first 5 events forwarded');
    expect(emulator.faults.invalidSession(0, false)).toBe(1);
    await until(() => {
      const shard = proxy.manager.status()[0];
      return shard?.state === 'ready' && shard.sessionId !== oldSession;
    }, 'a new session');
    const newSession = proxy.manager.status()[0]?.sessionId as string;
    const oldQueued = proxy.queue.queued(0, oldSession as string);
    expect(oldQueued).toBeGreaterThan(0); // the old session's events were still queued
    const ids = publish(emulator, 20);
    const ofNew = (): ForwardedEvent[] => received.filter((event) => event.sessionId === newSession);
    await until(
      () => ids.every((id) => ofNew().some((event) => event.payload.id === id)),
      'the new events',
      60_000,
    );
    await proxy.stop(2_000);
    await running;

    const highestConfirmed = Math.max(...ofNew().map((event) => event.payload.s ?? 0));
    const stored = await inner.get(0);
    console.info(
      `re-identify: ${oldQueued} old-session events queued at the new READY; stored ${stored?.sessionId === newSession ? 'new' : 'old'} session at seq ${stored?.seq}, highest confirmed of it ${highestConfirmed}`,
    );
    // The old session's seqs (up to 40) count in another session: storing one would skip events.
    expect(stored?.sessionId).toBe(newSession);
    expect(stored?.seq).toBeLessThanOrEqual(highestConfirmed);
    const replaced = errors.filter(
      (error): error is SessionReplacedError => error instanceof SessionReplacedError,
    );
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.old.sessionId).toBe(oldSession);
    expect(replaced[0]?.queued).toBeGreaterThanOrEqual(oldQueued); // counted at the READY, a moment before
  }, 90_000);

  it('reports a new session after an outage longer than the platform replays: what it dropped is lost, and said so', async () => {
    // The platform keeps 1,000 events for a resume; the downstream is down while 20,000 are sent.
    const emulator = await Emulator.start({ grantedIntents: 'all', resumeBufferSize: 1_000 });
    cleanups.push(() => emulator.stop());
    const rest = new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: emulator.tokenUrl,
    });
    cleanups.push(() => rest.destroy());
    let down = true;
    const forwarded = new Set<string>();
    const errors: unknown[] = [];
    const proxy = new GatewayProxy({
      manager: { intents: INTENTS, tokens: rest.tokens, gateway: gatewayInfoFromRest(rest) },
      store: new InMemorySessionStore(),
      downstream: (sent) => {
        if (down) return Promise.reject(new Error('downstream down'));
        if (sent.payload.id !== undefined) forwarded.add(sent.payload.id);
        return Promise.resolve();
      },
      onError: (error) => errors.push(error),
    });
    const running = proxy.manager.start();
    await new Promise<void>((resolve) => proxy.manager.once('ready', () => resolve()));
    const ids = publish(emulator, 20_000);
    await until(() => proxy.queue.size >= HIGH_MARK, 'the queue at its high mark');
    expect(emulator.faults.dropSocket(0)).toBe(1); // lost while paused: no resume until it reads again
    down = false;
    const replaced = (): SessionReplacedError | undefined =>
      errors.find((error): error is SessionReplacedError => error instanceof SessionReplacedError);
    await until(() => replaced() !== undefined && proxy.queue.size === 0, 'the new session reported', 20_000);
    await proxy.stop(2_000);
    await running;

    const lost = ids.filter((id) => !forwarded.has(id)).length;
    console.info(`outage: ${ids.length} sent, ${lost} lost, reported: ${replaced()?.message}`);
    expect(lost).toBeGreaterThan(0);
    expect(frames(emulator, 2)).toHaveLength(2); // the resume was refused: a second Identify
    expect(errors.filter((error) => error instanceof SessionReplacedError)).toHaveLength(1);
  }, 60_000);

  it('takes no strategy: on worker threads a pause does not stop the events already sent to the main thread', () => {
    const manager: ShardManagerOptions = { ...offlineManager(), strategy: workerThreads({ workers: 1 }) };
    // @ts-expect-error strategy is left out of the proxy's manager options
    const withStrategy: GatewayProxyOptions['manager'] = { strategy: manager.strategy };
    void withStrategy;
    expect(
      () =>
        new GatewayProxy({ manager, store: new InMemorySessionStore(), downstream: () => Promise.resolve() }),
    ).toThrow(ProxyStrategyError);
  });
});

/** Manager options for a proxy that is never started. */
function offlineManager(): ShardManagerOptions {
  const rest = new RestClient({
    token: new Token('1', 'secret'),
    baseUrl: 'http://127.0.0.1:9',
    tokenUrl: 'http://127.0.0.1:9/token',
  });
  cleanups.push(() => rest.destroy());
  return { intents: INTENTS, tokens: rest.tokens, gateway: gatewayInfoFromRest(rest) };
}

/** One event of shard 0, session S, at `seq`. */
function event(seq: number): ForwardedEvent {
  return { shardId: 0, sessionId: 'S', payload: { op: 0, s: seq, t: 'X', d: {}, id: `e${seq}` } };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A queue of shard events with nothing listening unless `options` says. */
function queue(options: Partial<ForwardQueueOptions>): ForwardQueue {
  return new ForwardQueue({
    downstream: () => Promise.resolve(),
    reading: { pause: () => undefined, resume: () => undefined },
    highMark: 100,
    lowMark: 50,
    onConfirmed: () => undefined,
    onError: () => undefined,
    onDeadLetter: () => undefined,
    retryDelayMs: 5,
    ...options,
  });
}

/** An in-memory store counting its writes, whose writes can be held unanswered. */
class CountingStore extends InMemorySessionStore {
  public sets = 0;
  public hold: Promise<void> | undefined;

  public override async set(shardId: number, session: SessionInfo): Promise<void> {
    this.sets++;
    await this.hold;
    return super.set(shardId, session);
  }
}

describe("the gateway-proxy example's parts", () => {
  it('coalesces confirmation writes to one per interval, and writes the last one at close', async () => {
    const inner = new CountingStore();
    const store = new ConfirmedSeqStore(inner, () => undefined, 100);
    await store.set(0, { sessionId: 'S', seq: 0, shardCount: 1 });
    const forward = queue({
      downstream: () => sleep(1),
      onConfirmed: (confirmed) => store.confirm(0, 'S', confirmed.payload.s ?? 0),
    });
    const startedAt = Date.now();
    for (let seq = 1; seq <= 500; seq++) forward.push(event(seq));
    expect(await forward.drain(10_000)).toBe(0);
    const elapsedMs = Date.now() - startedAt;
    await store.close();
    console.info(
      `500 events confirmed in ${elapsedMs} ms: ${inner.sets} store writes (one per event before)`,
    );
    // The shard's write, one per started 100 ms, and the last at close.
    expect(inner.sets).toBeLessThanOrEqual(2 + Math.ceil(elapsedMs / 100) + 1);
    expect((await inner.get(0))?.seq).toBe(500);
    expect(store.durableSeq(0, 'S')).toBe(500);
  }, 20_000);

  it('answers durableSeq with what the store holds, not with what was confirmed', async () => {
    const inner = new CountingStore();
    const store = new ConfirmedSeqStore(inner, () => undefined, 60_000);
    await store.set(0, { sessionId: 'S', seq: 0, shardCount: 1 }); // a write: the interval starts
    expect(store.durableSeq(0, 'S')).toBe(0);
    store.confirm(0, 'S', 9); // waits for the interval
    expect(store.confirmedSeq(0, 'S')).toBe(9);
    expect(store.durableSeq(0, 'S')).toBe(0);
    let answer: () => void = () => undefined;
    inner.hold = new Promise((resolve) => (answer = resolve));
    const closed = store.close(); // writes 9 at once, clearing the 60 s timer
    await sleep(10);
    expect(inner.sets).toBe(2);
    expect(store.durableSeq(0, 'S')).toBe(0); // the write is not answered yet
    answer();
    await closed;
    expect((await inner.get(0))?.seq).toBe(9);
    expect(store.durableSeq(0, 'S')).toBe(9);
    expect(store.durableSeq(0, 'other session')).toBeUndefined();
    store.confirm(0, 'S', 12); // after close: ignored
    await store.settled();
    expect(store.durableSeq(0, 'S')).toBe(9);
  });

  it('gives an event refused permanently to the dead-letter hook and goes on; retries other failures', async () => {
    const permanent = Object.assign(new Error('answered 400'), { permanent: true });
    let transientLeft = 6;
    const deadLetters: ForwardedEvent[] = [];
    const confirmed: number[] = [];
    const forward = queue({
      downstream: (sent) => {
        if (sent.payload.s === 2) return Promise.reject(permanent);
        if (sent.payload.s === 3 && transientLeft-- > 0) return Promise.reject(new Error('answered 503'));
        return Promise.resolve();
      },
      onConfirmed: (sent) => confirmed.push(sent.payload.s ?? 0),
      onDeadLetter: (sent) => void deadLetters.push(sent),
      maxRefusals: 3,
    });
    for (let seq = 1; seq <= 4; seq++) forward.push(event(seq));
    expect(await forward.drain(5_000)).toBe(0);
    expect(deadLetters.map((sent) => sent.payload.s)).toEqual([2]);
    expect(confirmed).toEqual([1, 2, 3, 4]); // 3 was refused 6 times, more than maxRefusals, and kept
  });

  it('keeps a refused event at the head while the dead-letter hook throws', async () => {
    let hookCalls = 0;
    const forward = queue({
      downstream: () => Promise.reject(Object.assign(new Error('answered 413'), { permanent: true })),
      maxRefusals: 1,
      onDeadLetter: () => {
        hookCalls++;
        if (hookCalls < 3) throw new Error('dead-letter table unavailable');
      },
    });
    forward.push(event(1));
    expect(await forward.drain(5_000)).toBe(0);
    expect(hookCalls).toBe(3);
  });

  it('defaults the dead-letter hook to a DeadLetterError holding the event, through onError', async () => {
    const errors: unknown[] = [];
    const proxy = new GatewayProxy({
      manager: offlineManager(),
      store: new InMemorySessionStore(),
      downstream: () => Promise.reject(Object.assign(new Error('answered 400'), { permanent: true })),
      maxRefusals: 1,
      onError: (error) => errors.push(error),
    });
    proxy.queue.push(event(7));
    expect(await proxy.queue.drain(5_000)).toBe(0);
    const dead = errors.find((error): error is DeadLetterError => error instanceof DeadLetterError);
    expect(dead?.event.payload.id).toBe('e7');
  });

  it('goes on when its listeners throw', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    cleanups.push(() => void process.off('unhandledRejection', onRejection));
    let failuresLeft = 2;
    const forward = queue({
      downstream: () => (failuresLeft-- > 0 ? Promise.reject(new Error('down')) : Promise.resolve()),
      onError: () => {
        throw new Error('logger failed');
      },
      onConfirmed: () => {
        throw new Error('listener failed');
      },
    });
    forward.push(event(1));
    forward.push(event(2));
    expect(await forward.drain(5_000)).toBe(0);
    await sleep(20);
    expect(rejections).toEqual([]);
  });

  it('cuts a forward under way at the drain deadline: nothing is confirmed after the stop', async () => {
    const confirmed: number[] = [];
    let signal: AbortSignal | undefined;
    const forward = queue({
      downstream: async (_sent, abort) => {
        signal = abort;
        await sleep(300); // a downstream that ignores the abort
      },
      onConfirmed: (sent) => confirmed.push(sent.payload.s ?? 0),
    });
    forward.push(event(1));
    expect(await forward.drain(50)).toBe(1);
    expect(signal?.aborted).toBe(true);
    await sleep(400);
    expect(confirmed).toEqual([]);
  });

  it('names the session file and what to do when it cannot be used, and writes it whole', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'gateway-proxy-store-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    const broken = join(scratch, 'broken.json');
    await writeFile(broken, '{"0": {"sessionId"');
    await expect(FileSessionStore.open(broken)).rejects.toThrow(SessionFileError);
    await expect(FileSessionStore.open(broken)).rejects.toThrow(`session file ${broken}: is not JSON`);
    const directory = join(scratch, 'directory');
    await mkdir(directory);
    await expect(FileSessionStore.open(directory)).rejects.toThrow(/cannot be read \(EISDIR\)/);

    const path = join(scratch, 'sessions.json');
    const [first, second] = await Promise.all([FileSessionStore.open(path), FileSessionStore.open(path)]);
    await Promise.all([
      first.set(0, { sessionId: 'A', seq: 1, shardCount: 2 }),
      second.set(1, { sessionId: 'B', seq: 2, shardCount: 2 }),
    ]);
    expect(await readdir(scratch)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
    const reopened = await FileSessionStore.open(path);
    // Two stores on one file: each write is whole, the last one wins.
    expect([await reopened.get(0), await reopened.get(1)].filter(Boolean)).toHaveLength(1);
  });
});

function frames(emulator: Emulator, op: number): GatewayFrameRecord[] {
  return emulator.recorder.filter(
    (record): record is GatewayFrameRecord => record.kind === 'gateway' && record.op === op,
  );
}

/** A running proxy process of the example. */
interface ProxyProcess {
  child: ChildProcess;
  /** Resolves once it printed that its shards are ready; rejects if it exits or stays silent. */
  ready: Promise<void>;
  /** Resolves with its exit code. */
  exited: Promise<number | null>;
  /** Kills it if it still runs. */
  stop(): Promise<void>;
}

function startProxy(env: Record<string, string>): ProxyProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('QQ_BOT_')),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/gateway-proxy/index.ts'], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the proxy was not ready within 30 s:\n${output}`)),
      30_000,
    );
    const onData = (): void => {
      if (!output.includes('proxy ready')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the proxy exited with code ${code} before it was ready:\n${output}`));
    });
  });
  ready.catch(() => undefined); // awaited by the test
  return {
    child,
    ready,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The downstream: confirms POSTed events until `confirmLimit`, then leaves them unanswered. */
class TestDownstream {
  public confirmLimit = Infinity;
  public confirmed = 0;
  /** Events with an id confirmed, repeats included. */
  public posts = 0;
  public highestConfirmedSeq = 0;
  public readonly ids = new Set<string>();
  readonly #stalled: ServerResponse[] = [];
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  public static async start(): Promise<TestDownstream> {
    let downstream: TestDownstream | undefined;
    const server = createServer((request, response) => void downstream?.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    downstream = new TestDownstream(server);
    return downstream;
  }

  public get url(): string {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${address.port}/events`;
  }

  /** Events received, each counted once. */
  public distinct(): number {
    return this.ids.size;
  }

  public async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    if (this.confirmed >= this.confirmLimit) {
      this.#stalled.push(response); // never answered: the event stays unconfirmed
      return;
    }
    const event = JSON.parse(body) as ForwardedEvent;
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.confirmed++;
    if (event.payload.id !== undefined) {
      this.posts++;
      this.ids.add(event.payload.id);
    }
    this.highestConfirmedSeq = Math.max(this.highestConfirmedSeq, event.payload.s ?? 0);
    response.end();
  }

  /** Drops the POSTs left unanswered (their sender is gone). */
  public releaseStalled(): void {
    for (const response of this.#stalled.splice(0)) response.destroy();
  }

  public async stop(): Promise<void> {
    this.releaseStalled();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
