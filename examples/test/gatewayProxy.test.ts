/**
 * The gateway-proxy example's recipe against the emulator: a slow downstream holds the proxy's
 * queue at its high mark, and a proxy killed (SIGKILL) while the downstream had confirmed only part
 * of the events is replaced by one that resumes its session and forwards every event, none lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemorySessionStore, Intents, gatewayInfoFromRest } from '@bot/gateway';
import { RestClient, Token } from '@bot/http';
import { Emulator, type CloseRecord, type GatewayFrameRecord } from '@bot/testing';
import { GatewayProxy } from '../gateway-proxy/GatewayProxy.js';
import type { ForwardedEvent } from '../gateway-proxy/ForwardQueue.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INTENTS = Intents.of('GUILDS', 'PUBLIC_GUILD_MESSAGES');
const HIGH_MARK = 100;
const LOW_MARK = 50;

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
