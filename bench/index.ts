/**
 * `pnpm bench`: runs every benchmark in one process tree, prints one Markdown table and, for a
 * full run, writes it to bench/RESULTS.md. `pnpm bench --help` lists the knobs.
 */
import { writeFile } from 'node:fs/promises';
import { runFlood } from './flood.js';
import { runIngest } from './ingest.js';
import { runMemory } from './memory.js';
import { runPacing } from './pacing.js';
import { runRest } from './rest.js';
import { runStages } from './stages.js';
import { BENCHMARKS, parseOptions, USAGE, type BenchmarkName, type BenchOptions } from './support/options.js';
import { preparePlainChildren } from './support/plainChildren.js';
import { describeEnvironment, renderDocument, renderTable, type BenchmarkReport } from './support/report.js';
import { runWebhook } from './webhook.js';
import { runWorkers } from './workers.js';

const RUNNERS: Record<BenchmarkName, (options: BenchOptions) => Promise<BenchmarkReport>> = {
  ingest: runIngest,
  memory: runMemory,
  pacing: runPacing,
  rest: runRest,
  webhook: runWebhook,
  flood: runFlood,
  workers: runWorkers,
  stages: runStages,
};

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  await preparePlainChildren();
  const environment = describeEnvironment();
  console.error(`${environment}\n`);
  const reports: BenchmarkReport[] = [];
  for (const name of options.only) {
    const started = Date.now();
    console.error(`running ${name} …`);
    try {
      reports.push(await RUNNERS[name](options));
    } catch (error) {
      // One broken benchmark must not cost the others' numbers: it gets a row saying why.
      const failure = error instanceof Error ? error.message : String(error);
      reports.push({ title: name, setup: `failed: ${failure}`, rows: [], failure });
    }
    console.error(`  ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(`\n${renderTable(reports)}\n`);
  // Only the full method is published: a subset or a small run prints its table and stops there.
  const complete = options.only.length === BENCHMARKS.length && !options.quick;
  if (complete) {
    const target = new URL('./RESULTS.md', import.meta.url);
    await writeFile(target, renderDocument(reports, environment));
    console.log(`written to bench/RESULTS.md`);
  } else {
    console.log('partial or quick run: bench/RESULTS.md left as it was');
  }
  return reports.some((report) => report.failure !== undefined) ? 1 : 0;
}

process.exitCode = await main();
