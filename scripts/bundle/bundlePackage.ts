/** Bundling one workspace package's JavaScript into its `dist/` with esbuild. */
import { join } from 'node:path';
import { build } from 'esbuild';
import { esmOnlyStub } from './esmOnlyStub.js';
import { removeStaleOutputs, writeOutputs } from './outputs.js';
import { renamedClasses, restoreClassNames, sourceClassNames } from './classNames.js';
import { bundleEntries, type WorkspacePackage } from './workspace.js';

/**
 * A file's modification time comes from a coarser clock than `Date.now()` and may read a little
 * earlier: a file a concurrent build wrote just after this one started must still count as new.
 */
const FILE_CLOCK_SLACK_MS = 1_000;

/** What one package's bundle wrote. */
export interface BundleResult {
  /** JavaScript files the package now ships. */
  files: number;
  /** Files (JavaScript and source maps) whose bytes changed. */
  written: number;
}

/**
 * Bundles one package into its `dist/`: one entry per export (and per file loaded by path), the
 * shared code in chunks; every dependency and every other `@bot/*` package stays an import; and
 * the stub `require()` loads (see esmOnlyStub.ts). Then removes the JavaScript of earlier builds and the declarations of deleted sources.
 *
 * @param root - the workspace's root (esbuild's working folder, so the metafile is relative to it)
 */
export async function bundlePackage(pkg: WorkspacePackage, root: string): Promise<BundleResult> {
  const startedAt = Date.now() - FILE_CLOCK_SLACK_MS;
  const outdir = join(pkg.dir, 'dist');
  const { outputFiles } = await build({
    absWorkingDir: root,
    entryPoints: bundleEntries(pkg),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Not `keepNames`: it costs every named closure a `defineProperty` per creation. Class names are
    // kept by classNames.ts instead.
    keepNames: false,
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'warning',
  });
  const scripts = outputFiles
    .filter((file) => file.path.endsWith('.js'))
    .map((file) => ({ path: file.path, text: restoreClassNames(file.text) }));
  const renamed = renamedClasses(scripts, sourceClassNames(join(pkg.dir, 'src')));
  if (renamed.length > 0) {
    throw new Error(
      `bundle: ${pkg.packageName}: classes renamed because two share a name in one bundle (${renamed.join(', ')}): give one of them another name`,
    );
  }
  const maps = outputFiles.filter((file) => !file.path.endsWith('.js'));
  const encoder = new TextEncoder();
  const outputs = [
    ...scripts.map(({ path, text }) => ({ path, contents: encoder.encode(text) })),
    ...maps,
    esmOnlyStub(pkg.dir, pkg.packageName),
  ];
  const written = writeOutputs(outputs);
  removeStaleOutputs(outdir, new Set(outputs.map((file) => file.path)), join(pkg.dir, 'src'), startedAt);
  return {
    files: scripts.length,
    written: written.length,
  };
}
