/**
 * 3. Startup pacing: N shards with `max_concurrency` m and a shortened identify window, timed
 * until all are READY, against the fastest startup the platform's rule allows.
 */
import { identifyMarginMs } from '@bot/gateway';
import { Emulator } from '@bot/testing';
import type { PacingJob, PacingResult } from './pacing/job.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport } from './support/report.js';
import { announceRound } from './support/progress.js';
import { ratioCell, ratioSummary, type PairedComparison } from './support/ratios.js';
import { millis } from './support/units.js';

const CHILD = new URL('./pacing/launch.ts', import.meta.url);
/** The goal: within 5 % of the minimum. */
const TOLERANCE = 1.05;

/**
 * The emulator enforces the window on arrival, a little shorter than the client's: an identify
 * sent exactly one window after the previous one may arrive a millisecond sooner than it, and
 * the check is there to catch pacing that is wrong, not network jitter.
 */
function enforcedWindow(windowMs: number): number {
  return windowMs - Math.min(windowMs * 0.05, 25);
}

async function round(options: BenchOptions): Promise<PacingResult> {
  const emulator = await Emulator.start({
    identifyWindow: enforcedWindow(options.pacingWindowMs),
    sessionStartLimit: { total: 100_000, remaining: 100_000, maxConcurrency: options.pacingConcurrency },
    shards: options.pacingShards,
    recordLimit: 1000,
  });
  const job: PacingJob = {
    restUrl: emulator.restUrl,
    tokenUrl: emulator.tokenUrl,
    appId: emulator.appId,
    secret: emulator.secret,
    shards: options.pacingShards,
    windowMs: options.pacingWindowMs,
  };
  const child = startChild<PacingJob, PacingResult>(CHILD, job, { profileDir: options.profileDir });
  try {
    return await child.result;
  } finally {
    await child.stop();
    await emulator.stop();
  }
}

/**
 * Runs the pacing benchmark, each round against a fresh emulator (its identify windows start
 * empty) from a fresh process.
 *
 * @param options - rounds, shards, `max_concurrency` and window
 */
export async function runPacing(options: BenchOptions): Promise<BenchmarkReport> {
  const { pacingShards: shards, pacingConcurrency: concurrency, pacingWindowMs: windowMs } = options;
  const waves = Math.ceil(shards / concurrency);
  const results: PacingResult[] = [];
  for (let index = 0; index < options.slowRounds; index++) {
    announceRound('pacing', index, options.slowRounds);
    results.push(await round(options));
  }

  const measured = results.map((result) => result.allMs);
  const minimum = results.map((result) => (waves - 1) * windowMs + result.singleMs);
  const control = results.map((result) => (waves - 1) * windowMs + result.singleAgainMs);
  // The identify queue keeps a safety margin over every window on purpose (docs/protocol.md §5.3),
  // so its own pace is the minimum plus one margin per window waited.
  const marginMs = identifyMarginMs({ windowMs });
  const paced = minimum.map((ms) => ms + (waves - 1) * marginMs);
  const MINIMUM = 'minimum';
  const CONTROL = 'control';
  const PACED = 'paced';
  const OURS = 'ShardManager';
  const values: Record<string, number[]> = {
    [MINIMUM]: minimum,
    [CONTROL]: control,
    [PACED]: paced,
    [OURS]: measured,
  };
  // Times: smaller is better, and no manager can start all shards sooner than the minimum.
  const comparison: PairedComparison = {
    values: (name) => values[name] ?? [],
    baseline: MINIMUM,
    baselineLabel: 'minimum',
    control: CONTROL,
    higherIsBetter: false,
    bounded: new Set([OURS]),
  };
  const ratio = ratioSummary({ ...comparison, baseline: PACED }, OURS).median;
  const tooFast = results.reduce((sum, result) => sum + result.tooFast, 0);
  return {
    title: '3. Startup pacing (time until all READY)',
    setup:
      `${options.slowRounds} rounds; ${shards} shards, \`max_concurrency\` ${concurrency}, identify window shortened to ${windowMs} ms ` +
      `(${waves} waves), started by one \`ShardManager\` against the emulator, which refuses an identify ` +
      `inside the window with 4008 (${tooFast} seen in this run). The minimum is the start of the last wave, ` +
      `(⌈N/m⌉ − 1) × window, plus one shard's own startup (token, \`/gateway/bot\`, handshake, Hello, ` +
      `Identify, READY) measured in the same process just before; counting ⌈N/m⌉ full windows would overstate ` +
      `it, as the last wave is READY one startup after its window opens. The control times that one shard a ` +
      `second time in the same process; ratios are of times, paired by round (above 1: slower). The identify ` +
      `queue adds a safety margin of ${marginMs} ms to every window on purpose (the larger of 250 ms and 10 % of ` +
      `the window); its own pace is the minimum plus one margin per window waited, and the target is set against it.`,
    rows: [
      {
        contender: `minimum: (⌈${shards}/${concurrency}⌉ − 1) × ${windowMs} ms + one startup`,
        samples: minimum,
        format: millis,
        ratios: [ratioCell(comparison, MINIMUM)],
      },
      {
        contender: 'control: the same minimum, one startup timed again',
        samples: control,
        format: millis,
        ratios: [ratioCell(comparison, CONTROL)],
      },
      {
        contender: `the queue's pace: minimum + (⌈${shards}/${concurrency}⌉ − 1) × ${marginMs} ms margin`,
        samples: paced,
        format: millis,
        ratios: [ratioCell(comparison, PACED)],
      },
      {
        contender: `@bot/gateway ShardManager, ${shards} shards`,
        samples: measured,
        format: millis,
        ratios: [
          ratioCell(comparison, OURS),
          ratioCell(comparison, OURS, { name: PACED, label: "the queue's pace" }),
        ],
        target: {
          text: "≤ 1.05× the queue's pace, no 4008",
          met: ratio <= TOLERANCE && tooFast === 0,
        },
      },
    ],
  };
}
