/**
 * 7. Shards on worker threads: the aggregate rate of 4 shards whose handler spends 20 µs of CPU
 * per event, with the shards and the handler on 1, 2 and 4 worker threads, and, for comparison,
 * with the handler on the main thread (shards on 2 threads, or in-process).
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
import { idleCores } from './support/idleCores.js';

const CHILD = new URL('./workers/child.ts', import.meta.url);
const SHARDS = 4;
const HANDLER_MICROS = 20;
const ONE = '1 thread';
const TWO = '2 threads';
const ON_MAIN = '2 threads, handler on the main thread';
/** Idle cores, measured before the run, at which two count as idle. */
const IDLE_CORES_FOR_TWO = 1.8;

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
  const idle = await idleCores();
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
  const two = rows.ratio(TWO).median;
  // Two cores count as idle when the kernel saw at least 1.8 cores' worth of idle time.
  const twoIdle = idle >= IDLE_CORES_FOR_TWO;
  return {
    title: '7. Shards on worker threads (dispatches/s, 20 µs handler)',
    setup:
      `${options.rounds} paired rounds; ${SHARDS} shards, each streamed ${perShard.toLocaleString('en-US')} dispatches ` +
      `(the ingest mix) by a minimal gateway in the parent; ${options.workerEvents.toLocaleString('en-US')} measured over all ` +
      `shards after ${options.workerWarmup.toLocaleString('en-US')} of warm-up. The handler spins ${HANDLER_MICROS} µs of CPU ` +
      'per event. "1/2/4 threads": shards on that many worker threads, the handler on the threads too ' +
      `(\`workerThreads({ handler })\`, a module each thread loads). "${ON_MAIN}" and "in-process": the handler is a ` +
      `\`dispatch\` listener on the main thread, so every contender of that kind is capped near ` +
      `${Math.round(1e6 / HANDLER_MICROS).toLocaleString('en-US')}/s whatever the thread count. Machine: ${cores} cores, ` +
      `${idle.toFixed(2)} of them idle over 1 s before the run (the kernel's idle time). Main thread busy (median): ` +
      WORKER_CONTENDERS.map((name) => `${name} ${busy(name)}`).join(', ') +
      '. CPU per op counts every thread of the process.',
    rows: [
      rows.row(ONE),
      rows.row(`${ONE} (control)`),
      rows.row(TWO, {
        target: {
          text: twoIdle
            ? `≥ 1.5× 1 thread (${idle.toFixed(2)} idle cores)`
            : `≥ 1.5× 1 thread, where ≥ 2 cores are idle (${idle.toFixed(2)} here: not judged)`,
          met: twoIdle && two >= 1.5,
          // Not judged without two idle cores: neither met nor missed.
          unresolved: !twoIdle,
        },
      }),
      rows.row('4 threads'),
      rows.row(ON_MAIN),
      rows.row('in-process'),
    ],
  };
}
