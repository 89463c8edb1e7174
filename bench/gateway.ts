/**
 * Gateway benchmark: dispatch throughput of one shard against bare `ws` + `JSON.parse` on the same
 * emulator stream, and memory per idle shard with 200 shards in one process.
 *
 *   pnpm exec tsc -b packages/gateway   # @bot/gateway runs against the built @bot/http
 *   pnpm exec tsx bench/gateway.ts [events=100000] [shards=200]
 *
 * The emulator runs in this process; each client runs in a child process of its own, so its CPU
 * time (busy event-loop time) and its memory are measured without the emulator's.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  InMemoryIdentifyQueue,
  Shard,
  ShardManager,
  type TokenSource,
} from '../packages/gateway/src/index.js';
import { createLogger } from '@bot/http';
import { Emulator } from '../packages/testing/src/index.js';

/** The part of `ws` the baseline uses; loaded from the gateway package, so both sides run the same `ws`. */
interface BareSocket {
  on(event: 'message', listener: (data: Buffer) => void): void;
  send(data: string): void;
}
const BareWebSocket = createRequire(new URL('../packages/gateway/package.json', import.meta.url))(
  'ws',
) as new (url: string, options: { perMessageDeflate: boolean }) => BareSocket;

const PUBLIC_GUILD_MESSAGES = 1 << 30;
const EVENT = 'AT_MESSAGE_CREATE';
const SAMPLE_EVENT = {
  id: '0812345678901234567',
  channel_id: '1234567',
  guild_id: '9876543210987654321',
  content: '<@!1234> hello there, this is a typical message',
  timestamp: '2024-06-01T12:00:00+08:00',
  author: {
    id: '11223344556677889900',
    username: 'someone',
    avatar: 'https://example.invalid/a.png',
    bot: false,
  },
  member: { joined_at: '2023-01-01T00:00:00+08:00', roles: ['1'], nick: 'someone' },
  seq: 1,
  seq_in_channel: '1',
};

type Client = 'shard' | 'baseline';
type Job =
  | { kind: 'throughput'; client: Client; url: string; token: string; events: number }
  | { kind: 'memory'; client: Client; url: string; token: string; shards: number };
type ThroughputResult = { busyMs: number; wallMs: number };
type MemoryResult = { heapPerConnection: number; rssPerConnection: number };
type ChildMessage = { ready: true } | { result: ThroughputResult | MemoryResult };

const silent = createLogger('bench', 7); // above every level: prints nothing
const staticTokens = (token: string): TokenSource => ({
  get: () => Promise.resolve(token),
  invalidate: () => undefined,
});

// ───────────────────────────── child side ─────────────────────────────

function reply(message: ChildMessage): void {
  process.send?.(message);
}

/** Counts dispatches until `events`, measuring busy loop time and wall time from the first one. */
function counter(events: number): () => void {
  let seen = 0;
  let startWall = 0;
  let startLoop = performance.eventLoopUtilization();
  return () => {
    if (seen++ === 0) {
      startWall = performance.now();
      startLoop = performance.eventLoopUtilization();
    }
    if (seen === events) {
      const loop = performance.eventLoopUtilization(startLoop);
      reply({ result: { busyMs: loop.active, wallMs: performance.now() - startWall } });
    }
  };
}

/** Opens a bare `ws` connection that identifies and parses every frame with `JSON.parse`. */
function bareConnection(
  url: string,
  token: string,
  shard: [number, number],
  onDispatch: () => void,
  onReady: () => void,
): BareSocket {
  const socket = new BareWebSocket(url, { perMessageDeflate: false });
  socket.on('message', (data) => {
    const payload = JSON.parse(String(data)) as { op: number; t?: string };
    if (payload.op === 10) {
      socket.send(
        JSON.stringify({
          op: 2,
          d: { token: `QQBot ${token}`, intents: PUBLIC_GUILD_MESSAGES, shard, properties: {} },
        }),
      );
    } else if (payload.op === 0 && payload.t === 'READY') {
      onReady();
    } else if (payload.op === 0 && payload.t === EVENT) {
      onDispatch();
    }
  });
  return socket;
}

async function runThroughput(job: Extract<Job, { kind: 'throughput' }>): Promise<void> {
  const count = counter(job.events);
  if (job.client === 'baseline') {
    bareConnection(job.url, job.token, [0, 1], count, () => reply({ ready: true }));
    return;
  }
  const shard = new Shard({
    id: 0,
    total: 1,
    intents: PUBLIC_GUILD_MESSAGES,
    gatewayUrl: job.url,
    tokens: staticTokens(job.token),
    identifyQueue: new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 10,
      remaining: 10,
      resetAfterMs: 86_400_000,
    }),
    logger: silent,
  });
  shard.on('dispatch', (payload) => payload.t === EVENT && count());
  await shard.start();
  reply({ ready: true });
}

async function runMemory(job: Extract<Job, { kind: 'memory' }>): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const settle = async (): Promise<NodeJS.MemoryUsage> => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage();
  };
  const before = await settle();
  let keep: unknown;
  if (job.client === 'baseline') {
    let ready = 0;
    const all = new Promise<void>((resolve) => {
      keep = Array.from({ length: job.shards }, (_, id) =>
        bareConnection(
          job.url,
          job.token,
          [id, job.shards],
          () => undefined,
          () => ++ready === job.shards && resolve(),
        ),
      );
    });
    await all;
  } else {
    const manager = new ShardManager({
      intents: PUBLIC_GUILD_MESSAGES,
      tokens: staticTokens(job.token),
      gateway: {
        gatewayBot: () =>
          Promise.resolve({
            url: job.url,
            shards: job.shards,
            session_start_limit: {
              total: 1_000,
              remaining: 1_000,
              reset_after: 86_400_000,
              max_concurrency: job.shards,
            },
          }),
      },
      logger: silent,
    });
    void manager.startShards(job.shards);
    while (manager.status().filter((status) => status.state === 'ready').length < job.shards) {
      await once(manager, 'state');
    }
    keep = manager;
  }
  const after = await settle();
  reply({
    result: {
      heapPerConnection: (after.heapUsed - before.heapUsed) / job.shards,
      rssPerConnection: (after.rss - before.rss) / job.shards,
    },
  });
  void keep;
}

// ───────────────────────────── parent side ─────────────────────────────

async function child(job: Job): Promise<{
  process: ChildProcess;
  ready: Promise<void>;
  result: Promise<ChildMessage & { result: unknown }>;
}> {
  const forked = fork(new URL(import.meta.url).pathname, ['--child', JSON.stringify(job)], {
    execArgv: process.execArgv,
  });
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const result = new Promise<ChildMessage & { result: unknown }>((resolve, reject) => {
    forked.on('message', (message: ChildMessage) => ('ready' in message ? resolveReady() : resolve(message)));
    forked.on('exit', (code, signal) =>
      reject(new Error(`${job.client} ${job.kind} child ended early (${code ?? signal})`)),
    );
  });
  result.catch(() => undefined); // awaited later; an early exit must not count as unhandled meanwhile
  return { process: forked, ready: Promise.race([ready, result.then(() => undefined)]), result };
}

async function throughputRound(
  emulator: Emulator,
  client: Client,
  events: number,
): Promise<ThroughputResult> {
  const run = await child({
    kind: 'throughput',
    client,
    url: emulator.gatewayUrl,
    token: emulator.createAccessToken(),
    events,
  });
  await run.ready;
  for (let sent = 0; sent < events;) {
    for (const end = Math.min(events, sent + 2_000); sent < end; sent++)
      emulator.simulate.dispatch(EVENT, SAMPLE_EVENT);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { result } = await run.result;
  run.process.kill();
  return result as ThroughputResult;
}

async function memoryRound(emulator: Emulator, client: Client, shards: number): Promise<MemoryResult> {
  const run = await child({
    kind: 'memory',
    client,
    url: emulator.gatewayUrl,
    token: emulator.createAccessToken(),
    shards,
  });
  const { result } = await run.result;
  run.process.kill();
  return result as MemoryResult;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const rate = (events: number, ms: number): string =>
  `${Math.round((events / ms) * 1000).toLocaleString('en-US')}/s`;

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 100_000);
  const shards = Number(process.argv[3] ?? 200);
  const emulator = await Emulator.start({
    // Rounds identify one after another on the same shard id; the pacing rule is not under test here.
    identifyWindow: 1,
    resumeBufferSize: 100,
    recordLimit: 100,
    sessionStartLimit: { total: 10_000, remaining: 10_000, maxConcurrency: shards },
  });
  try {
    const rounds: Record<Client, ThroughputResult[]> = { shard: [], baseline: [] };
    for (let round = 0; round < 3; round++) {
      for (const client of ['baseline', 'shard'] as const)
        rounds[client].push(await throughputRound(emulator, client, events));
    }
    const busy = (client: Client) => median(rounds[client].map((r) => r.busyMs));
    const wall = (client: Client) => median(rounds[client].map((r) => r.wallMs));
    const memory = {
      baseline: await memoryRound(emulator, 'baseline', shards),
      shard: await memoryRound(emulator, 'shard', shards),
    };

    console.log(
      `\nDispatch throughput, ${events.toLocaleString('en-US')} events, median of 3 (CPU = client busy time)`,
    );
    console.table({
      'bare ws + JSON.parse': {
        'events/s (CPU)': rate(events, busy('baseline')),
        'events/s (wall)': rate(events, wall('baseline')),
      },
      '@bot/gateway Shard': {
        'events/s (CPU)': rate(events, busy('shard')),
        'events/s (wall)': rate(events, wall('shard')),
      },
      'ratio (target ≥ 0.8)': {
        'events/s (CPU)': (busy('baseline') / busy('shard')).toFixed(2),
        'events/s (wall)': (wall('baseline') / wall('shard')).toFixed(2),
      },
    });
    console.log(`\nMemory per idle connection, ${shards} in one process (target ≤ 64 KiB heap per shard)`);
    console.table({
      'bare ws': { heap: kib(memory.baseline.heapPerConnection), rss: kib(memory.baseline.rssPerConnection) },
      '@bot/gateway Shard': {
        heap: kib(memory.shard.heapPerConnection),
        rss: kib(memory.shard.rssPerConnection),
      },
      'ratio shard / bare': {
        heap: (memory.shard.heapPerConnection / memory.baseline.heapPerConnection).toFixed(2),
        rss: (memory.shard.rssPerConnection / memory.baseline.rssPerConnection).toFixed(2),
      },
    });
  } finally {
    await emulator.stop();
  }
}

if (process.argv[2] === '--child') {
  const job = JSON.parse(process.argv[3] ?? '{}') as Job;
  (job.kind === 'throughput' ? runThroughput(job) : runMemory(job)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  await main();
}
