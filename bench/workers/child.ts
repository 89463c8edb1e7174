/**
 * Child side of the worker-threads benchmark: a `ShardManager` with the job's shards, on worker
 * threads or in-process, whose handler spends a fixed CPU time per event, either as a `dispatch`
 * listener on the main thread or as a handler module on the threads (`spinningHandler.mjs`).
 * Reports the aggregate rate and how busy the main thread's event loop was while measuring.
 */
import { performance } from 'node:perf_hooks';
import { ShardManager, workerThreads, type GatewayBotInfo, type ShardStrategy } from '@bot/gateway';
import { createLogger } from '@bot/http';
import { runChild } from '../support/childProcess.js';
import { ThroughputMeter, type ThroughputResult } from '../support/ThroughputMeter.js';
import type { ThroughputRound } from '../support/throughputRows.js';
import { PLACEMENT, type WorkersJob } from './job.js';
import { ThreadCounter } from './threadCounter.js';

const HANDLER_MODULE = new URL('./spinningHandler.mjs', import.meta.url);

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
  const { threads, handlerOnThreads } = PLACEMENT[job.contender];
  const info = (await (await fetch(`${job.restUrl}/gateway/bot`)).json()) as GatewayBotInfo;
  const counter = handlerOnThreads ? new ThreadCounter(job.warmup, job.events) : undefined;
  let strategy: ShardStrategy | undefined;
  if (threads > 0) {
    strategy = workerThreads({
      workers: threads,
      ...(counter !== undefined && {
        handler: HANDLER_MODULE,
        handlerData: counter.handlerData(job.handlerMicros),
      }),
    });
  }
  const loading = performance.now();
  let startupMs: number | undefined;
  let busyFrom = performance.eventLoopUtilization();
  const manager = new ShardManager({
    intents: 1 << 30,
    tokens: { get: () => Promise.resolve('bench-access-token'), invalidate: () => undefined },
    gateway: { gatewayBot: () => Promise.resolve(info) },
    // Above every tslog level: prints nothing.
    logger: createLogger('bench', 7),
    ...(strategy !== undefined && { strategy }),
  });
  let ready = 0;
  manager.on('state', (state) => {
    if (state !== 'ready') return;
    ready += 1;
    if (ready === job.shards) startupMs = performance.now() - loading;
  });
  let measured: Promise<ThroughputResult>;
  if (counter !== undefined) {
    measured = counter.measure(() => (busyFrom = performance.eventLoopUtilization()));
  } else {
    const meter = new ThroughputMeter(job.warmup, job.events);
    let seen = 0;
    manager.on('dispatch', (payload) => {
      if (payload.t === 'READY') return;
      work(job.handlerMicros);
      seen += 1;
      if (seen === job.warmup) busyFrom = performance.eventLoopUtilization();
      meter.count();
    });
    measured = meter.done;
  }
  void manager.startShards(job.shards).catch(() => undefined);
  const result = await measured;
  const mainBusy = performance.eventLoopUtilization(busyFrom).utilization;
  await manager.shutdownAll({ timeoutMs: 1_000 });
  return { ...result, mainBusy, ...(startupMs !== undefined && { startupMs }) };
});
