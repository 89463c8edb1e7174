/**
 * Writes each package's JavaScript to its `dist/` as a few bundled files, after `tsc -b` has
 * type-checked the packages and written their declarations (the packages' tsconfig emits
 * declarations only).
 *
 * Why: Node.js loads an ES module graph file by file (open, stat, compile, resolve each import),
 * and a bot that imports `@bot/client` used to load ~260 of our own modules before it could
 * connect. One entry per package export (plus the files loaded by path at run time) with the
 * shared code split into chunks loads the same code in a handful of files, each class still once:
 * `instanceof` holds across `@bot/gateway` and `@bot/gateway/redis`.
 *
 * Every dependency and every other `@bot/*` package stays an import (installed and deduplicated
 * on its own). Names are kept (`error.name = new.target.name`, `constructor.name`, stack traces),
 * nothing is minified, and the source maps point at the `src/` each package ships.
 *
 * Usage: `node --import tsx scripts/bundle.ts [--clean] [package …]`: every package, or the ones
 * named (`core`, `gateway`, …); `--clean` removes the JavaScript only (`tsc -b --clean` the rest).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type OutputFile } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A file a package loads by its path at run time, so it must be an entry of its own. */
interface PathLoadedEntry {
  /** Output name under `dist/`, without `.js`. */
  out: string;
  /** Source file, relative to the package. */
  source: string;
  /**
   * The source module that finds this file next to itself (`new URL('./x.js', import.meta.url)`):
   * the build fails unless the bundle puts the two side by side.
   */
  resolvedNextTo?: string;
}

/** The packages in build order, with the files each loads by path beside its exports. */
const PACKAGES: Record<string, readonly PathLoadedEntry[]> = {
  core: [],
  http: [],
  testing: [
    // The `qq-emulator` bin imports `../dist/cli.js`.
    { out: 'cli', source: 'src/cli.ts' },
  ],
  gateway: [
    // Each worker thread runs it; `workerScript.ts` resolves `./shardWorkerMain.js` from its own URL.
    {
      out: 'shardWorkerMain',
      source: 'src/workers/shardWorkerMain.ts',
      resolvedNextTo: 'src/workers/workerScript.ts',
    },
  ],
  client: [],
};

/** The bundle entries of a package: one per `exports` target, `./dist/x.js` from `src/x.ts`. */
function exportEntries(packageDir: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: string }>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const file = typeof target === 'string' ? target : target.import;
    if (file === undefined || !file.endsWith('.js')) continue; // ./package.json
    const match = /^\.\/dist\/(.+)\.js$/.exec(file);
    if (match === null) throw new Error(`${packageDir}: export ${subpath} (${file}) is not under ./dist`);
    entries[match[1]!] = join(packageDir, 'src', `${match[1]!}.ts`);
  }
  return entries;
}

/**
 * Removes what the bundle does not write under `dist`: each `.js` and `.js.map` that is not in
 * `keep` (a stale per-file module must not ship beside the bundle), and, when `src` is given, each
 * declaration whose source file is gone (`tsc -b` never deletes the outputs of a removed file).
 */
function removeStaleOutputs(dist: string, keep: ReadonlySet<string>, src?: string): void {
  let entries;
  try {
    entries = readdirSync(dist, { withFileTypes: true });
  } catch {
    return; // not built yet
  }
  for (const entry of entries) {
    const path = join(dist, entry.name);
    const declared = /^(.+)\.d\.ts(\.map)?$/.exec(entry.name)?.[1];
    if (entry.isDirectory())
      removeStaleOutputs(path, keep, src === undefined ? undefined : join(src, entry.name));
    else if (/\.js(\.map)?$/.test(entry.name) && !keep.has(path)) rmSync(path);
    else if (src !== undefined && declared !== undefined && !existsSync(join(src, `${declared}.ts`)))
      rmSync(path);
  }
}

/**
 * Writes the bundle's files, the shared chunks before the entries that import them, so a process
 * starting meanwhile finds every file an entry names (the old chunks are removed only afterwards).
 */
function writeOutputs(files: readonly OutputFile[]): void {
  const chunksFirst = [...files].sort(
    (a, b) => Number(!basename(a.path).startsWith('chunk-')) - Number(!basename(b.path).startsWith('chunk-')),
  );
  for (const file of chunksFirst) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
}

/** The output file that holds `source`'s code, relative to `outdir`. */
function outputHolding(metafile: Metafile, source: string, outdir: string): string {
  const input = relative(ROOT, source).split('\\').join('/');
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (output.endsWith('.js') && input in inputs) return posix.relative(relative(ROOT, outdir), output);
  }
  throw new Error(`bundle: no output holds ${input}`);
}

/**
 * Bundles one package into its `dist/`, checks that each path-loaded file sits where its code
 * looks for it, then removes the JavaScript of earlier builds.
 *
 * @returns how many JavaScript files the package now ships
 */
async function bundlePackage(name: string, pathLoaded: readonly PathLoadedEntry[]): Promise<number> {
  const packageDir = join(ROOT, 'packages', name);
  const outdir = join(packageDir, 'dist');
  const entryPoints = exportEntries(packageDir);
  for (const { out, source } of pathLoaded) entryPoints[out] = join(packageDir, source);
  const { metafile, outputFiles } = await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  for (const { out, resolvedNextTo } of pathLoaded) {
    if (resolvedNextTo === undefined) continue;
    const holder = outputHolding(metafile, join(packageDir, resolvedNextTo), outdir);
    if (posix.dirname(holder) !== posix.dirname(`${out}.js`)) {
      throw new Error(
        `bundle: @bot/${name}: dist/${holder} (code of ${resolvedNextTo}) looks for ${posix.basename(out)}.js in its own folder, but the entry is dist/${out}.js`,
      );
    }
  }
  writeOutputs(outputFiles);
  removeStaleOutputs(outdir, new Set(outputFiles.map((file) => file.path)), join(packageDir, 'src'));
  return outputFiles.filter((file) => file.path.endsWith('.js')).length;
}

const args = process.argv.slice(2);
const clean = args.includes('--clean');
const named = args.filter((arg) => !arg.startsWith('--'));
for (const name of named) {
  if (!(name in PACKAGES))
    throw new Error(`bundle: no package ${name} (one of ${Object.keys(PACKAGES).join(', ')})`);
}
for (const [name, pathLoaded] of Object.entries(PACKAGES)) {
  if (named.length > 0 && !named.includes(name)) continue;
  if (clean) {
    removeStaleOutputs(join(ROOT, 'packages', name, 'dist'), new Set());
    continue;
  }
  const files = await bundlePackage(name, pathLoaded);
  console.log(`bundle: @bot/${name}: ${files} files`);
}
