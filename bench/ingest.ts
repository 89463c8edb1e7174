/**
 * 1. Gateway ingest: how many dispatches per second reach user code, on the same stream for
 * every contender, against bare `ws` + `JSON.parse` (the limit) and the community SDK; beside it
 * the whole process (spawn → every event handled → exit) and the startup to the first READY.
 */
import { buildDispatchStream } from './ingest/eventMix.js';
import { INGEST_CONTENDERS, type IngestContender, type IngestJob } from './ingest/job.js';
import { StreamServer } from './ingest/streamServer.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport } from './support/report.js';
import { runPairedRounds } from './support/rounds.js';
import { throughputRows, type ThroughputRound } from './support/throughputRows.js';

const CHILD = new URL('./ingest/contenders.ts', import.meta.url);
const BARE = 'bare ws + JSON.parse';
const CONTROL = 'bare ws + JSON.parse (control)';
const BARE_GOT = 'bare ws, HTTP through got';
const SHARD = '@bot/gateway Shard';
const CLIENT = '@bot/client';
const CLIENT_ASYNC = '@bot/client, async handlers';
const PEER = 'qq-official-bot';

async function round(
  server: StreamServer,
  contender: IngestContender,
  options: BenchOptions,
): Promise<ThroughputRound> {
  const job: IngestJob = {
    contender,
    restUrl: server.restUrl,
    tokenUrl: server.tokenUrl,
    gatewayUrl: server.gatewayUrl,
    warmup: options.warmup,
    events: options.events,
  };
  const child = startChild<IngestJob, ThroughputRound>(CHILD, job, { profileDir: options.profileDir });
  try {
    const result = await child.result;
    return { ...result, processMs: await child.exited };
  } finally {
    await child.stop();
  }
}

/**
 * Runs the ingest benchmark in paired rounds: every round runs each contender once, in its own
 * process, in an order rotated from round to round.
 *
 * @param options - rounds, warm-up and measured dispatches
 */
export async function runIngest(options: BenchOptions): Promise<BenchmarkReport> {
  const stream = await buildDispatchStream(options.warmup + options.events, 2);
  const server = await StreamServer.start(stream.frames);
  let results: Map<IngestContender, ThroughputRound[]>;
  try {
    results = await runPairedRounds('ingest', INGEST_CONTENDERS, options.rounds, (contender) =>
      round(server, contender, options),
    );
  } finally {
    await server.close();
  }

  const rows = throughputRows(results, {
    baseline: BARE,
    label: 'bare ws',
    control: CONTROL,
    // Same socket library, same JSON.parse of every frame, then more work: never faster.
    bounded: [BARE_GOT, SHARD, CLIENT, CLIENT_ASYNC],
  });
  const { ratio, row, startupRatio, cellAgainst, startupAgainst } = rows;
  const shard = ratio(SHARD).median;
  const client = ratio(CLIENT).median;
  const clientAsync = ratio(CLIENT_ASYNC).median;
  const clientStartup = startupRatio(CLIENT).median;
  const mix = Object.entries(stream.byEvent)
    .map(([event, count]) => `${Math.round((count / (options.warmup + options.events)) * 100)} % ${event}`)
    .join(', ');
  return {
    title: '1. Gateway ingest (dispatches/s)',
    setup:
      `${options.rounds} paired rounds; ${options.events.toLocaleString('en-US')} dispatches measured per round after ` +
      `${options.warmup.toLocaleString('en-US')} of warm-up, streamed by a minimal WebSocket gateway in the ` +
      `parent process as fast as the socket drains. Mix: ${mix}; ${Math.round(stream.meanBytes)} bytes per ` +
      'frame on average; payloads shaped by the emulator, every event with its own id. Each contender runs ' +
      'in its own process, loads only its own modules, and counts in a no-op handler (`@bot/client`: ' +
      'shard → dispatcher → model → handler method, the method a plain function, then an `async` one; ' +
      "`qq-official-bot`: its `message`/`notice` events). CPU per op is the contender process's CPU time " +
      '(all threads) per dispatch. Every contender fetches an access token before it identifies (bare ws ' +
      'and the Shard with one `node:http` request, the client through `@bot/http`, with `/gateway/bot`). ' +
      '"Bare ws, HTTP through got" is bare ws whose token and `/gateway/bot` are fetched with `got`, the ' +
      "library `@bot/http` is built on: the client's startup is shown against it too, to separate what " +
      "loading `got` and the one more request cost from the client's own code. " +
      'Whole process: spawning the child until it exits, every dispatch (warm-up included) handled; the ' +
      "ratio is of rates (above 1: faster). Startup: from loading the contender's modules to its first " +
      'READY; the ratio is of times (above 1: slower).',
    rows: [
      row(BARE),
      row(CONTROL),
      row(BARE_GOT),
      row(SHARD, { target: { text: '≥ 0.97× bare ws', met: shard >= 0.97 } }),
      row(
        CLIENT,
        {
          ratios: [cellAgainst(CLIENT, PEER, PEER)],
          target: {
            text: '≥ 0.90× bare ws; startup ≤ 1.5× bare ws',
            met: client >= 0.9 && clientStartup <= 1.5,
          },
        },
        [startupAgainst(CLIENT, BARE_GOT, 'bare ws with got')],
      ),
      row(CLIENT_ASYNC, {
        ratios: [cellAgainst(CLIENT_ASYNC, PEER, PEER)],
        target: { text: '≥ 0.85× bare ws', met: clientAsync >= 0.85 },
      }),
      row(PEER),
    ],
  };
}
