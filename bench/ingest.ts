/**
 * 1. Gateway ingest: how many dispatches per second reach user code, on the same stream for
 * every contender, against bare `ws` + `JSON.parse` (the limit) and the community SDK.
 */
import { throughputRows } from './support/throughputRows.js';
import { buildDispatchStream } from './ingest/eventMix.js';
import { INGEST_CONTENDERS, type IngestContender, type IngestJob } from './ingest/job.js';
import { StreamServer } from './ingest/streamServer.js';
import type { ThroughputResult } from './support/ThroughputMeter.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport, ResultRow } from './support/report.js';
import { times } from './support/units.js';
import { announceRound } from './support/progress.js';

const CHILD = new URL('./ingest/contenders.ts', import.meta.url);

async function round(
  server: StreamServer,
  contender: IngestContender,
  options: BenchOptions,
): Promise<ThroughputResult> {
  const job: IngestJob = {
    contender,
    restUrl: server.restUrl,
    tokenUrl: server.tokenUrl,
    gatewayUrl: server.gatewayUrl,
    warmup: options.warmup,
    events: options.events,
  };
  const child = startChild<IngestJob, ThroughputResult>(CHILD, job, { profileDir: options.profileDir });
  try {
    return await child.result;
  } finally {
    await child.stop();
  }
}

/**
 * Runs the ingest benchmark: every round runs each contender once, in its own process, so drift
 * on a shared machine hits all of them alike.
 *
 * @param options - rounds, warm-up and measured dispatches
 */
export async function runIngest(options: BenchOptions): Promise<BenchmarkReport> {
  const stream = await buildDispatchStream(options.warmup + options.events, 2);
  const server = await StreamServer.start(stream.frames);
  const results = new Map<IngestContender, ThroughputResult[]>(INGEST_CONTENDERS.map((name) => [name, []]));
  try {
    for (let index = 0; index < options.rounds; index++) {
      announceRound('ingest', index, options.rounds);
      for (const contender of INGEST_CONTENDERS)
        results.get(contender)?.push(await round(server, contender, options));
    }
  } finally {
    await server.close();
  }

  const { ratio, row } = throughputRows(results);
  const BARE = 'bare ws + JSON.parse';
  const PEER = 'qq-official-bot';
  const vsBare = ratio('@bot/client', BARE);
  const vsPeer = ratio('@bot/client', PEER);
  const mix = Object.entries(stream.byEvent)
    .map(([event, count]) => `${Math.round((count / (options.warmup + options.events)) * 100)} % ${event}`)
    .join(', ');
  return {
    title: '1. Gateway ingest (dispatches/s)',
    setup:
      `${options.events.toLocaleString('en-US')} dispatches measured per round after ` +
      `${options.warmup.toLocaleString('en-US')} of warm-up, streamed by a minimal WebSocket gateway in the ` +
      `parent process as fast as the socket drains. Mix: ${mix}; ${Math.round(stream.meanBytes)} bytes per ` +
      'frame on average; payloads shaped by the emulator, every event with its own id. Each contender runs ' +
      'in its own process and counts in a no-op handler (`@bot/client`: shard → dispatcher → model → ' +
      'handler method, the method a plain function, then an `async` one; `qq-official-bot`: its ' +
      '`message`/`notice` events). CPU per op is the contender ' +
      "process's CPU time (all threads) per dispatch.",
    rows: [
      row(BARE, { ratios: ['1.00× (baseline)'] }),
      row('@bot/gateway Shard', { ratios: [`${times(ratio('@bot/gateway Shard', BARE))} bare ws`] }),
      row('@bot/client', {
        ratios: [`${times(vsBare)} bare ws`, `${times(vsPeer)} qq-official-bot`],
        target: { text: '≥ 0.70× bare ws; ≥ 2.00× qq-official-bot', met: vsBare >= 0.7 && vsPeer >= 2 },
      }),
      row('@bot/client, async handlers', {
        ratios: [
          `${times(ratio('@bot/client, async handlers', BARE))} bare ws`,
          `${times(ratio('@bot/client, async handlers', PEER))} qq-official-bot`,
        ],
      }),
      row(PEER, { ratios: [`${times(ratio(PEER, BARE))} bare ws`] }),
    ],
  };
}
