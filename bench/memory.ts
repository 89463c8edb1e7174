/**
 * 2. Memory per idle shard: heap and RSS each connection adds, with 100 and 500 shards connected
 * to the emulator in one process, against as many bare `ws` connections.
 */
import { Emulator } from '@bot/testing';
import type { FleetContender, FleetJob, FleetResult } from './memory/job.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport, ResultRow } from './support/report.js';
import { median } from './support/stats.js';
import { kib, times } from './support/units.js';
import { announceRound } from './support/progress.js';

const CHILD = new URL('./memory/fleet.ts', import.meta.url);
const CONTENDERS: readonly FleetContender[] = ['bare ws', '@bot/gateway ShardManager'];
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
      const results = new Map<FleetContender, FleetResult[]>(CONTENDERS.map((name) => [name, []]));
      for (let index = 0; index < options.rounds; index++) {
        announceRound(`memory, ${shards} shards`, index, options.rounds);
        for (const contender of CONTENDERS)
          results.get(contender)?.push(await round(emulator, contender, shards, options));
      }
      const heap = (name: FleetContender): number[] => (results.get(name) ?? []).map((r) => r.heapPerShard);
      const rss = (name: FleetContender): number[] => (results.get(name) ?? []).map((r) => r.rssPerShard);
      const ours = median(heap('@bot/gateway ShardManager'));
      rows.push(
        {
          contender: `bare ws, ${shards} connections: heap per connection`,
          samples: heap('bare ws'),
          format: kib,
        },
        {
          contender: `@bot/gateway, ${shards} shards: heap per shard`,
          samples: heap('@bot/gateway ShardManager'),
          format: kib,
          ratios: [`${times(ours / median(heap('bare ws')))} bare ws`],
          target: { text: '≤ 64 KiB', met: ours <= HEAP_TARGET_BYTES },
        },
        {
          contender: `bare ws, ${shards} connections: RSS per connection`,
          samples: rss('bare ws'),
          format: kib,
        },
        {
          contender: `@bot/gateway, ${shards} shards: RSS per shard`,
          samples: rss('@bot/gateway ShardManager'),
          format: kib,
          ratios: [`${times(median(rss('@bot/gateway ShardManager')) / median(rss('bare ws')))} bare ws`],
        },
      );
    }
  } finally {
    await emulator.stop();
  }
  return {
    title: '2. Memory per idle shard',
    setup:
      `${options.shards.join(' and ')} shards connected to the emulator (in the parent process) from one child ` +
      'process per round, every shard READY and idle; heap used and RSS read after three forced garbage ' +
      'collections, minus the same reading taken before connecting, divided by the shard count. The baseline ' +
      'holds as many bare `ws` sockets that identified.',
    rows,
  };
}
