/**
 * 7. Shards on worker threads: the aggregate rate of 4 shards whose handler spends 20 µs of CPU
 * per event on the main thread, with the shards on 1, 2 and 4 worker threads and in-process.
 */
import os from 'node:os';
import { buildDispatchStream } from './ingest/eventMix.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport } from './support/report.js';
import { runPairedRounds } from './support/rounds.js';
import { median } from './support/stats.js';
import { throughputRows } from './support/throughputRows.js';
import type { WorkersRound } from './workers/child.js';
import { WORKER_CONTENDERS, type WorkerContender, type WorkersJob } from './workers/job.js';
import { StreamServer } from './ingest/streamServer.js';

const CHILD = new URL('./workers/child.ts', import.meta.url);
const SHARDS = 4;
const HANDLER_MICROS = 20;
const ONE = '1 worker';
const TWO = '2 workers';

async function round(
  server: StreamServer,
  contender: WorkerContender,
  options: BenchOptions,
): Promise<WorkersRound> {
  const job: WorkersJob = {
    contender,
    restUrl: server.restUrl,
    shards: SHARDS,
    warmup: options.workerWarmup,
    events: options.workerEvents,
    handlerMicros: HANDLER_MICROS,
  };
  const child = startChild<WorkersJob, WorkersRound>(CHILD, job, { profileDir: options.profileDir });
  try {
    const result = await child.result;
    return { ...result, processMs: await child.exited };
  } finally {
    await child.stop();
  }
}

/**
 * Runs the worker-threads benchmark in paired rounds, each contender in its own process.
 *
 * @param options - rounds, warm-up and measured dispatches (over all shards)
 */
export async function runWorkers(options: BenchOptions): Promise<BenchmarkReport> {
  const cores = os.availableParallelism();
  const load = os.loadavg()[0] ?? 0;
  const perShard = Math.ceil((options.workerWarmup + options.workerEvents) / SHARDS) + 1;
  const stream = await buildDispatchStream(perShard, 2);
  const server = await StreamServer.start(stream.frames, { shards: SHARDS });
  let results: Map<WorkerContender, WorkersRound[]>;
  try {
    results = await runPairedRounds('workers', WORKER_CONTENDERS, options.rounds, (contender) =>
      round(server, contender, options),
    );
  } finally {
    await server.close();
  }
  const rows = throughputRows(results, {
    baseline: ONE,
    label: ONE,
    control: `${ONE} (control)`,
    bounded: [],
  });
  const busy = (name: WorkerContender): string =>
    `${Math.round(median((results.get(name) ?? []).map((each) => each.mainBusy)) * 100)} %`;
  process.stderr.write(
    `  workers: main thread busy ${WORKER_CONTENDERS.map((name) => `${name} ${busy(name)}`).join(', ')}\n`,
  );
  const idle = Math.max(0, cores - load);
  const two = rows.ratio(TWO).median;
  return {
    title: '7. Shards on worker threads (dispatches/s, 20 µs handler)',
    setup:
      `${options.rounds} paired rounds; ${SHARDS} shards, each streamed ${perShard.toLocaleString('en-US')} dispatches ` +
      `(the ingest mix) by a minimal gateway in the parent; ${options.workerEvents.toLocaleString('en-US')} measured over all ` +
      `shards after ${options.workerWarmup.toLocaleString('en-US')} of warm-up. The handler, a \`dispatch\` listener on the main ` +
      `thread (where handlers run), spins ${HANDLER_MICROS} µs of CPU per event. Shards on 1, 2 or 4 worker threads ` +
      `(\`workerThreads\`), or in-process. Machine: ${cores} cores, load average ${load.toFixed(2)} at the start ` +
      `(about ${idle.toFixed(1)} idle). Main thread busy (median): ` +
      WORKER_CONTENDERS.map((name) => `${name} ${busy(name)}`).join(', ') +
      `. The handlers share one main thread, so ${HANDLER_MICROS} µs per event caps every contender near ` +
      `${Math.round(1e6 / HANDLER_MICROS).toLocaleString('en-US')}/s whatever the thread count; threads take the ` +
      'sockets, heartbeats and parsing off it. CPU per op counts every thread of the process.',
    rows: [
      rows.row(ONE),
      rows.row(`${ONE} (control)`),
      rows.row(TWO, {
        target: {
          text:
            idle >= 2
              ? '≥ 1.5× 1 worker (≥ 2 idle cores)'
              : '≥ 1.5× 1 worker, where ≥ 2 cores are idle (not here)',
          met: idle >= 2 && two >= 1.5,
        },
      }),
      rows.row('4 workers'),
      rows.row('in-process'),
    ],
  };
}
