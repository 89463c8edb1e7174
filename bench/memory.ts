/**
 * 2. Memory per idle shard: heap and RSS each connection adds, with 100 and 500 shards connected
 * to the emulator in one process, against as many bare `ws` connections.
 */
import { Emulator } from '@bot/testing';
import type { FleetContender, FleetJob, FleetResult } from './memory/job.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport, ResultRow } from './support/report.js';
import { ratioCell, type PairedComparison } from './support/ratios.js';
import { runPairedRounds } from './support/rounds.js';
import { median } from './support/stats.js';
import { kib } from './support/units.js';

const CHILD = new URL('./memory/fleet.ts', import.meta.url);
const BARE = 'bare ws';
const CONTROL = 'bare ws (control)';
const OURS = '@bot/gateway ShardManager';
const CONTENDERS: readonly FleetContender[] = [BARE, CONTROL, OURS];
/** The goal: at most 64 KiB of heap per idle shard. */
const HEAP_TARGET_BYTES = 64 * 1024;

async function round(
  emulator: Emulator,
  contender: FleetContender,
  shards: number,
  options: BenchOptions,
): Promise<FleetResult> {
  const job: FleetJob = {
    contender,
    shards,
    gatewayUrl: emulator.gatewayUrl,
    accessToken: emulator.createAccessToken(),
    maxConcurrency: shards,
  };
  const child = startChild<FleetJob, FleetResult>(CHILD, job, {
    nodeFlags: ['--expose-gc'],
    profileDir: options.profileDir,
  });
  try {
    return await child.result;
  } finally {
    await child.stop();
  }
}

/**
 * Runs the memory benchmark: for each shard count, every round measures each contender in a
 * fresh process.
 *
 * @param options - rounds and shard counts
 */
export async function runMemory(options: BenchOptions): Promise<BenchmarkReport> {
  const largest = Math.max(...options.shards);
  const emulator = await Emulator.start({
    // Every shard identifies at once: pacing is benchmark 3's subject, not this one's.
    identifyWindow: 1,
    sessionStartLimit: { total: 1_000_000, remaining: 1_000_000, maxConcurrency: largest },
    recordLimit: 100,
    resumeBufferSize: 10,
  });
  const rows: ResultRow[] = [];
  try {
    for (const shards of options.shards) {
      const results = await runPairedRounds(
        `memory, ${shards} shards`,
        CONTENDERS,
        options.slowRounds,
        (name) => round(emulator, name, shards, options),
      );
      const heap = (name: string): number[] =>
        (results.get(name as FleetContender) ?? []).map((r) => r.heapPerShard);
      const rss = (name: string): number[] =>
        (results.get(name as FleetContender) ?? []).map((r) => r.rssPerShard);
      const ours = median(heap(OURS));
      // Smaller is better; a shard holds a socket like the baseline's and more, so never less.
      const against = (values: (name: string) => number[]): PairedComparison => ({
        values,
        baseline: BARE,
        baselineLabel: 'bare ws',
        control: CONTROL,
        higherIsBetter: false,
        bounded: new Set([OURS]),
      });
      rows.push(
        {
          contender: `bare ws, ${shards} connections: heap per connection`,
          samples: heap(BARE),
          format: kib,
          ratios: [ratioCell(against(heap), BARE)],
        },
        {
          contender: `bare ws (control), ${shards} connections: heap per connection`,
          samples: heap(CONTROL),
          format: kib,
          ratios: [ratioCell(against(heap), CONTROL)],
        },
        {
          contender: `@bot/gateway, ${shards} shards: heap per shard`,
          samples: heap(OURS),
          format: kib,
          ratios: [ratioCell(against(heap), OURS)],
          target: { text: '≤ 64 KiB', met: ours <= HEAP_TARGET_BYTES },
        },
        {
          contender: `bare ws, ${shards} connections: RSS per connection`,
          samples: rss(BARE),
          format: kib,
          ratios: [ratioCell(against(rss), CONTROL)],
        },
        {
          contender: `@bot/gateway, ${shards} shards: RSS per shard`,
          samples: rss(OURS),
          format: kib,
          ratios: [ratioCell(against(rss), OURS)],
        },
      );
    }
  } finally {
    await emulator.stop();
  }
  return {
    title: '2. Memory per idle shard',
    setup:
      `${options.slowRounds} paired rounds; ${options.shards.join(' and ')} shards connected to the emulator (in the parent process) from one child ` +
      'process per round, every shard READY and idle; heap used and RSS read after three forced garbage ' +
      'collections, minus the same reading taken before connecting, divided by the shard count. The baseline ' +
      'holds as many bare `ws` sockets that identified, twice per round (the second is the control). Ratios ' +
      'are of sizes (above 1: more memory).',
    rows,
  };
}
