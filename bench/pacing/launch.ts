/**
 * Child side of the pacing benchmark: times a single shard to READY (the part of a startup no
 * pacing can remove), then N shards under the platform's identify pacing.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShardManager, gatewayInfoFromRest } from '@bot/gateway';
import { RestClient, Token, createLogger } from '@bot/http';
import { runChild } from '../support/childProcess.js';
import type { PacingJob, PacingResult } from './job.js';

const PUBLIC_GUILD_MESSAGES = 1 << 30;
/** Above every tslog level: prints nothing. */
const silent = createLogger('bench', 7);
/** The emulator's close code for an identify inside the window. */
const TOO_FAST = 4008;

/**
 * Starts `shards` shards with a fresh manager and resolves with the milliseconds until all are
 * READY, and how many 4008 closes happened on the way.
 */
async function timeStartup(
  job: PacingJob,
  rest: RestClient,
  shards: number,
): Promise<{ ms: number; tooFast: number }> {
  const manager = new ShardManager({
    intents: PUBLIC_GUILD_MESSAGES,
    tokens: rest.tokens,
    gateway: gatewayInfoFromRest(rest),
    identifyWindowMs: job.windowMs,
    logger: silent,
  });
  let tooFast = 0;
  manager.on('close', (event) => {
    if (event.code === TOO_FAST) tooFast += 1;
  });
  manager.on('error', () => undefined);
  const started = performance.now();
  const allReady = new Promise<number>((resolve) => {
    const ready = new Set<number>();
    manager.on('state', (state, _previous, shardId) => {
      if (state === 'ready') ready.add(shardId);
      if (ready.size === shards) resolve(performance.now() - started);
    });
  });
  void manager.startShards(shards).catch(() => undefined);
  const ms = await allReady;
  await manager.shutdownAll({ invalidateSessions: true, timeoutMs: 1000 });
  return { ms, tooFast };
}

runChild<PacingJob, PacingResult>(async (job) => {
  const rest = new RestClient({
    token: new Token(job.appId, job.secret),
    baseUrl: job.restUrl,
    tokenUrl: job.tokenUrl,
    logger: silent,
  });
  try {
    // Warm up code and the token cache; then let every identify bucket's window pass.
    await timeStartup(job, rest, 1);
    await sleep(job.windowMs);
    const single = await timeStartup(job, rest, 1);
    await sleep(job.windowMs);
    const singleAgain = await timeStartup(job, rest, 1);
    await sleep(job.windowMs);
    const all = await timeStartup(job, rest, job.shards);
    return {
      singleMs: single.ms,
      singleAgainMs: singleAgain.ms,
      allMs: all.ms,
      tooFast: single.tooFast + singleAgain.tooFast + all.tooFast,
    };
  } finally {
    rest.destroy();
  }
});
