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
 * on its own). Classes keep their source names (`error.name = new.target.name`), and the build
 * fails when one would not (`bundle/classNames.ts`). Nothing is minified, and
 * the source maps point at the `src/` each package ships. Files are
 * replaced atomically and only when their bytes change (see `bundle/outputs.ts`).
 *
 * Usage: `node --import tsx scripts/bundle.ts [--clean] [package …]`: every package, or the ones
 * named (`client` or `@bot/client`) with the workspace packages they import; `--clean` removes the
 * JavaScript only (`tsc -b --clean` the rest).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePackage } from './bundle/bundlePackage.js';
import { removeStaleOutputs } from './bundle/outputs.js';
import { selectPackages, workspacePackages } from './bundle/workspace.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OPTIONS = ['--clean'];

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg.startsWith('-') && !OPTIONS.includes(arg));
if (unknown.length > 0) {
  throw new Error(
    `bundle: unknown option ${unknown.join(', ')}: it takes ${OPTIONS.join(', ')} and package names (there is no watch mode: run it again)`,
  );
}
const clean = args.includes('--clean');
const packages = selectPackages(
  workspacePackages(join(ROOT, 'packages')),
  args.filter((arg) => !arg.startsWith('-')),
);
for (const pkg of packages) {
  if (clean) {
    removeStaleOutputs(join(pkg.dir, 'dist'), new Set());
    continue;
  }
  const { files, written } = await bundlePackage(pkg, ROOT);
  console.log(
    `bundle: ${pkg.packageName}: ${files} JavaScript file${files === 1 ? '' : 's'}, ${written} changed`,
  );
}
