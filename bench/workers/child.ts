/**
 * Child side of the worker-threads benchmark: a `ShardManager` with the job's shards, on worker
 * threads or in-process, whose handler (a `dispatch` listener on the main thread, where handlers
 * run) spends a fixed CPU time per event. Reports the aggregate rate and how busy the main
 * thread's event loop was while measuring.
 */
import { performance } from 'node:perf_hooks';
import { ShardManager, workerThreads, type GatewayBotInfo } from '@bot/gateway';
import { createLogger } from '@bot/http';
import { runChild } from '../support/childProcess.js';
import { ThroughputMeter } from '../support/ThroughputMeter.js';
import type { ThroughputRound } from '../support/throughputRows.js';
import { THREADS, type WorkersJob } from './job.js';

/** One round, with the main thread's event-loop utilisation over the measured span (0–1). */
export interface WorkersRound extends ThroughputRound {
  mainBusy: number;
}

/** Keeps the thread busy for `micros` microseconds: a handler doing CPU work. */
function work(micros: number): void {
  const end = performance.now() + micros / 1000;
  while (performance.now() < end) {
    // spin
  }
}

runChild<WorkersJob, WorkersRound>(async (job) => {
  const meter = new ThroughputMeter(job.warmup, job.events);
  const threads = THREADS[job.contender];
  const info = (await (await fetch(`${job.restUrl}/gateway/bot`)).json()) as GatewayBotInfo;
  const loading = performance.now();
  let startupMs: number | undefined;
  let ready = 0;
  let seen = 0;
  let busyFrom = performance.eventLoopUtilization();
  const manager = new ShardManager({
    intents: 1 << 30,
    tokens: { get: () => Promise.resolve('bench-access-token'), invalidate: () => undefined },
    gateway: { gatewayBot: () => Promise.resolve(info) },
    // Above every tslog level: prints nothing.
    logger: createLogger('bench', 7),
    ...(threads > 0 && { strategy: workerThreads({ workers: threads }) }),
  });
  manager.on('dispatch', (payload) => {
    if (payload.t === 'READY') {
      ready += 1;
      if (ready === job.shards) startupMs = performance.now() - loading;
      return;
    }
    work(job.handlerMicros);
    seen += 1;
    if (seen === job.warmup) busyFrom = performance.eventLoopUtilization();
    meter.count();
  });
  void manager.startShards(job.shards).catch(() => undefined);
  const result = await meter.done;
  const mainBusy = performance.eventLoopUtilization(busyFrom).utilization;
  await manager.shutdownAll({ timeoutMs: 1_000 });
  return { ...result, mainBusy, ...(startupMs !== undefined && { startupMs }) };
});
