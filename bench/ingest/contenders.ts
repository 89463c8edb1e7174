/**
 * Child side of the ingest benchmark: loads one contender (only its own modules, so its startup
 * pays for nothing it does not use), connects it to the stream server and counts the dispatches
 * that reach user code, in a no-op handler. Reports steady-state throughput and the time from
 * loading the contender to its first READY.
 */
import { performance } from 'node:perf_hooks';
import { runChild } from '../support/childProcess.js';
import { ThroughputMeter } from '../support/ThroughputMeter.js';
import type { ThroughputRound } from '../support/throughputRows.js';
import type { Contender } from './contenders/wiring.js';
import type { IngestContender, IngestJob } from './job.js';

const LOAD: Record<IngestContender, () => Promise<Contender>> = {
  'bare ws + JSON.parse': async () => (await import('./contenders/bareWs.js')).connect,
  'bare ws + JSON.parse (control)': async () => (await import('./contenders/bareWs.js')).connect,
  'bare ws, HTTP through got': async () => (await import('./contenders/bareWsGot.js')).connect,
  '@bot/gateway Shard': async () => (await import('./contenders/gatewayShard.js')).connect,
  '@bot/client': async () => (await import('./contenders/botClient.js')).connect,
  '@bot/client, async handlers': async () => (await import('./contenders/botClient.js')).connectAsync,
  'qq-official-bot': async () => (await import('./contenders/qqOfficialBot.js')).connect,
};

runChild<IngestJob, ThroughputRound>(async (job) => {
  const meter = new ThroughputMeter(job.warmup, job.events);
  const loading = performance.now();
  let startupMs: number | undefined;
  const ready = (): void => {
    startupMs ??= performance.now() - loading;
  };
  const connect = await LOAD[job.contender]();
  await connect({ job, count: meter.count, ready });
  const result = await meter.done;
  return { ...result, ...(startupMs !== undefined && { startupMs }) };
});
