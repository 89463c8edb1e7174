import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { messageOf, ValidationError } from '@bot/core';

/** What a shard worker thread runs: the `Worker` constructor's first argument and its `eval` flag. */
export interface WorkerScript {
  /** The entry point's URL, or code to evaluate when `eval` is set. */
  entry: URL | string;
  /** Whether `entry` is code. */
  eval: boolean;
}

/** The package export that is the thread's entry point (`dist/workers/shardWorkerMain.js`). */
export const WORKER_EXPORT = '@bot/gateway/worker';

/** Where a user who bundles the app reads what to do. */
const BUNDLING_HELP =
  'emit @bot/gateway/worker as an entry of your bundle and pass its URL as workerScript (@bot/gateway README, "Bundling an app that runs shards on threads")';

/**
 * The ES module of `tsx` that exports `register`, as the package's own exports map names it,
 * found from `base` as an import there would find it.
 *
 * @throws when `tsx` cannot be found from `base`
 */
export function tsxRegisterUrl(base: string): string {
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
 * Resolves a package specifier to a URL string as `import.meta.resolve` does, throwing when it
 * cannot be resolved.
 */
export type SpecifierResolver = (specifier: string) => string;

/**
 * This runtime's `import.meta.resolve`, or `undefined` on Node.js 20.0–20.5, which lack the
 * synchronous form.
 */
function runtimeResolver(): SpecifierResolver | undefined {
  return typeof import.meta.resolve === 'function'
    ? (specifier) => import.meta.resolve(specifier)
    : undefined;
}

/**
 * Finds the worker entry point. In the built package it is the package's own `./worker` export
 * (`dist/workers/shardWorkerMain.js`), resolved by name, so it is found wherever the bundle puts
 * the code that starts it. Running from sources (tests, `tsx`), it is `shardWorkerMain.ts` next to
 * this module, which the thread can only load through `tsx`: a loader given to the process does
 * not reach its worker threads on Node.js 20, so the thread registers `tsx` itself first.
 *
 * @param base - the URL of the module that resolves it (this one by default)
 * @throws {@link ValidationError} (`workerScript`) when the built entry cannot be resolved: an app
 * bundle that inlined `@bot/gateway` must name its own
 */
export function shardWorkerScript(base: string = import.meta.url): WorkerScript {
  if (!base.endsWith('.ts')) return builtWorkerScript(base, runtimeResolver());
  const tsx = tsxRegisterUrl(base);
  const entry = new URL('./shardWorkerMain.ts', base).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return { entry: code, eval: true };
}

/**
 * The built package's worker entry point: {@link WORKER_EXPORT} as `resolve` finds it or, without
 * a resolver, `workers/shardWorkerMain.js` beside `base`, the layout of the package's `dist` (whose
 * bundled code sits at its root).
 *
 * @param base - the URL of the built module that starts the threads
 * @param resolve - how the runtime resolves a specifier; `undefined` where it cannot synchronously
 * @throws {@link ValidationError} (`workerScript`) when the export cannot be resolved or the file
 * it names does not exist
 */
export function builtWorkerScript(base: string, resolve: SpecifierResolver | undefined): WorkerScript {
  let resolved: string;
  try {
    resolved =
      resolve === undefined ? new URL('./workers/shardWorkerMain.js', base).href : resolve(WORKER_EXPORT);
  } catch (error) {
    throw new ValidationError(
      'workerScript',
      `is needed: ${WORKER_EXPORT} cannot be resolved from here (${resolutionFailure(error)}); ${BUNDLING_HELP}`,
    );
  }
  return requireWorkerFile({ entry: new URL(resolved), eval: false });
}

/**
 * Why the resolver failed, as `CODE: message`: a package that is missing and one that is found but
 * does not export the entry (`ERR_PACKAGE_PATH_NOT_EXPORTED`) call for different fixes.
 */
function resolutionFailure(error: unknown): string {
  if (!(error instanceof Error)) return messageOf(error);
  const { code } = error as { code?: unknown };
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}

/**
 * Checks that a `file:` entry point exists before a thread starts from it: a missing file would
 * otherwise end each thread at once, restart after restart, with the reason three causes deep.
 *
 * @returns `script`
 * @throws {@link ValidationError} (`workerScript`) naming the missing file and what to do
 */
export function requireWorkerFile(script: WorkerScript): WorkerScript {
  const { entry } = script;
  if (entry instanceof URL && entry.protocol === 'file:' && !existsSync(fileURLToPath(entry))) {
    throw new ValidationError(
      'workerScript',
      `names ${fileURLToPath(entry)}, which does not exist: ${BUNDLING_HELP}`,
    );
  }
  return script;
}
