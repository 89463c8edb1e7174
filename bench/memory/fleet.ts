/**
 * Child side of the memory benchmark: opens N idle gateway connections in this process and
 * reports what they cost, heap and RSS, after garbage collection. Runs with `--expose-gc`.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { ShardManager } from '@bot/gateway';
import { createLogger } from '@bot/http';
import { runChild } from '../support/childProcess.js';
import type { FleetJob, FleetResult } from './job.js';

const PUBLIC_GUILD_MESSAGES = 1 << 30;
/** Above every tslog level: prints nothing. */
const silent = createLogger('bench', 7);

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory child needs --expose-gc');
  // Several passes: finalizers and weak references free more on the next one.
  for (let pass = 0; pass < 3; pass++) gc();
}

/** Settles, collects garbage and reads memory. */
async function weigh(): Promise<NodeJS.MemoryUsage> {
  await sleep(300);
  collectGarbage();
  return process.memoryUsage();
}

/** The baseline: sockets that identify and then only hold their session. */
async function bareSockets(job: FleetJob): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  const ready: Promise<void>[] = [];
  for (let id = 0; id < job.shards; id++) {
    const socket = new WebSocket(job.gatewayUrl, { perMessageDeflate: false });
    sockets.push(socket);
    ready.push(
      new Promise((resolve, reject) => {
        socket.on('error', reject);
        socket.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString('utf8')) as { op: number; t?: string };
          if (frame.op === 10) {
            const identify = {
              token: `QQBot ${job.accessToken}`,
              intents: PUBLIC_GUILD_MESSAGES,
              shard: [id, job.shards],
            };
            socket.send(JSON.stringify({ op: 2, d: identify }));
          } else if (frame.t === 'READY') {
            resolve();
          }
        });
      }),
    );
  }
  await Promise.all(ready);
  return sockets;
}

/** This project: a `ShardManager` running every shard, each READY. */
async function shardManager(job: FleetJob): Promise<ShardManager> {
  const manager = new ShardManager({
    intents: PUBLIC_GUILD_MESSAGES,
    tokens: { get: () => Promise.resolve(job.accessToken), invalidate: () => undefined },
    gateway: {
      gatewayBot: () =>
        Promise.resolve({
          url: job.gatewayUrl,
          shards: job.shards,
          session_start_limit: {
            total: 100_000,
            remaining: 100_000,
            reset_after: 86_400_000,
            max_concurrency: job.maxConcurrency,
          },
        }),
    },
    identifyWindowMs: 1,
    logger: silent,
  });
  manager.on('error', () => undefined);
  void manager.startShards(job.shards);
  while (manager.status().filter((status) => status.state === 'ready').length < job.shards) {
    await once(manager, 'state');
  }
  return manager;
}

runChild<FleetJob, FleetResult>(async (job) => {
  const before = await weigh();
  // Held in a variable until `after` is read, so nothing the connections use can be collected.
  const fleet =
    job.contender !== '@bot/gateway ShardManager' ? await bareSockets(job) : await shardManager(job);
  const after = await weigh();
  const result = {
    heapPerShard: (after.heapUsed - before.heapUsed) / job.shards,
    rssPerShard: (after.rss - before.rss) / job.shards,
  };
  if (fleet instanceof ShardManager) await fleet.shutdownAll({ timeoutMs: 1000 });
  else for (const socket of fleet) socket.terminate();
  return result;
});
