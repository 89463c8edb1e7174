/**
 * Summarises V8 CPU profiles (`--cpu-prof`, e.g. from `pnpm bench --profile <dir>`): the functions
 * with the most self time, as a share of the sampled time, with their file and line.
 *
 *   node --import tsx bench/tools/topSelfTime.ts <file.cpuprofile>... [--top 15]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self time per function of one profile, in microseconds, keyed by `name (file:line)`.
 *
 * @param profile - a parsed `.cpuprofile`
 */
export function selfTimes(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) return;
    const file = frame.url === '' ? '' : ` (${shortPath(frame.url)}:${frame.lineNumber + 1})`;
    const key = `${frame.functionName || '(anonymous)'}${file}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return totals;
}

/** The part of a URL worth printing: the package and its file, not the machine's folders. */
function shortPath(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const packageAt = file.lastIndexOf('/node_modules/');
  if (packageAt >= 0)
    return file.slice(packageAt + '/node_modules/'.length).replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
  const project = file.indexOf('/packages/');
  if (project >= 0) return file.slice(project + 1);
  return path.basename(file);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' } },
  });
  for (const file of positionals) {
    const totals = selfTimes(JSON.parse(await readFile(file, 'utf8')) as Profile);
    const all = [...totals.values()].reduce((sum, value) => sum + value, 0);
    console.log(`${path.basename(file)}: ${(all / 1000).toFixed(0)} ms sampled`);
    for (const [name, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
      console.log(`  ${((micros / all) * 100).toFixed(1).padStart(5)} %  ${name}`);
    }
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) await main();
