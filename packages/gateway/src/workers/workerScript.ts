import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** What a shard worker thread runs: the `Worker` constructor's first argument and its `eval` flag. */
export interface WorkerScript {
  /** The entry point's URL, or code to evaluate when `eval` is set. */
  entry: URL | string;
  /** Whether `entry` is code. */
  eval: boolean;
}

/** The ES module of `tsx` that exports `register`, as the package's own exports map names it. */
function tsxRegisterUrl(base: string): string {
  const manifest = pathToFileURL(createRequire(base).resolve('tsx/package.json'));
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const path = exports['./esm/api']?.import?.default;
  if (path === undefined)
    throw new Error('tsx has no ./esm/api export: run the built package instead of sources');
  return new URL(path, manifest).href;
}

/**
 * Finds the worker entry point next to this module. In the built package that is
 * `dist/shardWorkerMain.js`, an entry of the bundle that the build writes beside the file holding
 * this code (`scripts/bundle.ts` fails when they would part). Running from sources (tests,
 * `tsx`), it is `shardWorkerMain.ts`, which the thread can only load through `tsx`: a loader given
 * to the process does not reach its worker threads on Node.js 20, so the thread registers `tsx`
 * itself before importing the entry point.
 *
 * @param base - the URL of the module that resolves it (this one by default)
 */
export function shardWorkerScript(base: string = import.meta.url): WorkerScript {
  if (!base.endsWith('.ts')) return { entry: new URL('./shardWorkerMain.js', base), eval: false };
  const tsx = tsxRegisterUrl(base);
  const entry = new URL('./shardWorkerMain.ts', base).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return { entry: code, eval: true };
}
