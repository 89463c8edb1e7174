import path from 'node:path';
import { parseArgs } from 'node:util';

/** The benchmarks of the suite, in the order they run. */
export const BENCHMARKS = [
  'ingest',
  'memory',
  'pacing',
  'rest',
  'webhook',
  'flood',
  'workers',
  'stages',
] as const;

/** One benchmark's name. */
export type BenchmarkName = (typeof BENCHMARKS)[number];

/**
 * The knobs of the suite. The defaults are the published method (≥ 15 paired rounds of ≥ 200,000
 * dispatches, or of ≥ 20,000 requests and deliveries) and finish in about 13 minutes on a 2-core
 * machine; `--quick` is a small run for development, whose numbers are not for publishing.
 */
export interface BenchOptions {
  /** Benchmarks to run. */
  only: readonly BenchmarkName[];
  /** A small development run (`--quick`): its table is printed, never written to RESULTS.md. */
  quick: boolean;
  /** Paired rounds of the throughput benchmarks (ingest, REST, webhook) and of the client stages. */
  rounds: number;
  /** Rounds of the slow benchmarks (memory, pacing, flood), each round a fleet of shards. */
  slowRounds: number;
  /** Gateway ingest: dispatches measured per round. */
  events: number;
  /** Gateway ingest: dispatches streamed before measuring, so every contender runs optimised code. */
  warmup: number;
  /**
   * Workers: dispatches measured per round, over all shards. Each costs the 20 µs handler plus
   * ingest, about six ingest dispatches' worth, so 50,000 fill a window as long as 300,000 would
   * in the ingest benchmark, and the suite stays within its time.
   */
  workerEvents: number;
  /** Workers: dispatches before the clock starts. */
  workerWarmup: number;
  /** Client stages: frames each stage runs over, per round. */
  stageEvents: number;
  /** Idle memory: shard counts, each measured in its own process. */
  shards: readonly number[];
  /** Startup pacing: shards to start. */
  pacingShards: number;
  /** Startup pacing: `max_concurrency`. */
  pacingConcurrency: number;
  /** Startup pacing: identify window in milliseconds (the platform's is 5000). */
  pacingWindowMs: number;
  /** REST: requests per round. */
  requests: number;
  /** Webhook: deliveries per round. */
  deliveries: number;
  /** REST: also measure raw `node:http`, the floor below `got`. */
  restFloor: boolean;
  /** REST and webhook: requests in flight at once. */
  concurrency: number;
  /** When set, every measured child writes a V8 CPU profile (`--cpu-prof`) into this directory. */
  profileDir: string | undefined;
}

/** What `--help` prints. */
export const USAGE = `Usage: pnpm bench [options]

  --only <list>              benchmarks to run, comma-separated: ${BENCHMARKS.join(', ')} (all)
  --quick                    a small run for development: 3 rounds, 20000 events (stages: 5000), 2000 requests
                             and deliveries, 1 slow round (other flags still override)
  --rounds <n>               paired rounds of ingest, REST, webhook and stages (15)
  --slow-rounds <n>          rounds of memory, pacing and flood (5)
  --events <n>               gateway ingest: dispatches measured per round (200000)
  --warmup <n>               gateway ingest: dispatches streamed before measuring (20000)
  --worker-events <n>        workers: dispatches measured per round, 20 µs handler each (50000)
  --worker-warmup <n>        workers: dispatches before measuring (5000)
  --stage-events <n>         client stages: frames each stage runs over per round (50000)
  --shards <list>            idle memory: shard counts (100,500)
  --pacing-shards <n>        startup pacing: shards (16)
  --pacing-concurrency <n>   startup pacing: max_concurrency (4)
  --pacing-window <ms>       startup pacing: identify window (500)
  --requests <n>             REST: requests per round (20000)
  --deliveries <n>           webhook: deliveries per round (20000)
  --concurrency <n>          REST and webhook: requests in flight (64)
  --rest-floor               REST: also measure raw node:http, the floor below got
  --profile <dir>            write a CPU profile of every measured child process into <dir>
                             (stages run in the benchmark's own process: profile it with --cpu-prof)

A full run writes bench/RESULTS.md; a run with --only prints its table without writing.`;

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`--${flag} must be a positive integer (got ${JSON.stringify(text)})`);
  }
  return value;
}

function benchmarkNames(text: string): BenchmarkName[] {
  return text.split(',').map((name) => {
    const known = BENCHMARKS.find((benchmark) => benchmark === name.trim());
    if (known === undefined) {
      throw new RangeError(`--only names an unknown benchmark "${name}" (known: ${BENCHMARKS.join(', ')})`);
    }
    return known;
  });
}

/**
 * Reads the command line.
 *
 * @param args - arguments after the script name
 * @returns the options, or `'help'` when usage was asked for
 * @throws {RangeError} naming the flag whose value is unusable (unknown flags throw `TypeError`)
 */
export function parseOptions(args: readonly string[]): BenchOptions | 'help' {
  const quick = args.includes('--quick');
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      quick: { type: 'boolean' },
      only: { type: 'string' },
      rounds: { type: 'string', default: quick ? '3' : '15' },
      'slow-rounds': { type: 'string', default: quick ? '1' : '5' },
      events: { type: 'string', default: quick ? '20000' : '200000' },
      warmup: { type: 'string', default: quick ? '5000' : '20000' },
      'worker-events': { type: 'string', default: quick ? '10000' : '50000' },
      'worker-warmup': { type: 'string', default: quick ? '2000' : '5000' },
      'stage-events': { type: 'string', default: quick ? '5000' : '50000' },
      shards: { type: 'string', default: '100,500' },
      'pacing-shards': { type: 'string', default: '16' },
      'pacing-concurrency': { type: 'string', default: '4' },
      'pacing-window': { type: 'string', default: '500' },
      requests: { type: 'string', default: quick ? '2000' : '20000' },
      deliveries: { type: 'string', default: quick ? '2000' : '20000' },
      concurrency: { type: 'string', default: '64' },
      'rest-floor': { type: 'boolean' },
      profile: { type: 'string' },
    },
  });
  if (values.help === true) return 'help';
  return {
    only: values.only === undefined ? BENCHMARKS : benchmarkNames(values.only),
    quick: values.quick === true,
    rounds: positiveInteger('rounds', values.rounds),
    slowRounds: positiveInteger('slow-rounds', values['slow-rounds']),
    events: positiveInteger('events', values.events),
    warmup: positiveInteger('warmup', values.warmup),
    workerEvents: positiveInteger('worker-events', values['worker-events']),
    workerWarmup: positiveInteger('worker-warmup', values['worker-warmup']),
    stageEvents: positiveInteger('stage-events', values['stage-events']),
    shards: values.shards.split(',').map((count) => positiveInteger('shards', count)),
    pacingShards: positiveInteger('pacing-shards', values['pacing-shards']),
    pacingConcurrency: positiveInteger('pacing-concurrency', values['pacing-concurrency']),
    pacingWindowMs: positiveInteger('pacing-window', values['pacing-window']),
    requests: positiveInteger('requests', values.requests),
    deliveries: positiveInteger('deliveries', values.deliveries),
    concurrency: positiveInteger('concurrency', values.concurrency),
    restFloor: values['rest-floor'] === true,
    profileDir: values.profile === undefined ? undefined : path.resolve(values.profile),
  };
}
