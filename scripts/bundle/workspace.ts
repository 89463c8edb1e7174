/** The workspace's packages as the bundle sees them: their manifests, entries and build order. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fields of a package's `package.json` the bundle reads. */
interface Manifest {
  name: string;
  exports?: Record<string, string | { import?: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** A workspace package: its folder's name (`core`), full name (`@bot/core`) and folder. */
export interface WorkspacePackage {
  /** The folder's name under `packages/`, e.g. `gateway`. */
  readonly name: string;
  /** The package's name, e.g. `@bot/gateway`. */
  readonly packageName: string;
  /** Absolute path of the package's folder. */
  readonly dir: string;
  /** Folder names of the workspace packages it imports at run time (`dependencies`, `peerDependencies`). */
  readonly dependsOn: readonly string[];
}

/**
 * Files a package loads by path at run time (no export names them), so each must be an entry of
 * its own: output name under `dist/` without `.js` → source relative to the package.
 */
const LOADED_BY_PATH: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // The `qq-emulator` bin imports `../dist/cli.js`.
  testing: { cli: 'src/cli.ts' },
};

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every package under `packagesDir`, dependencies before the packages that import them. */
export function workspacePackages(packagesDir: string): WorkspacePackage[] {
  const found = new Map<string, Omit<WorkspacePackage, 'dependsOn'> & { manifest: Manifest }>();
  for (const name of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const manifest = readManifest(dir);
    found.set(manifest.name, { name, packageName: manifest.name, dir, manifest });
  }
  const packages = [...found.values()].map(({ manifest, ...rest }) => ({
    ...rest,
    dependsOn: Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
      .flatMap((dependency) => found.get(dependency)?.name ?? [])
      .sort(),
  }));
  return inBuildOrder(packages);
}

/** `packages` with each one's dependencies before it. */
function inBuildOrder(packages: readonly WorkspacePackage[]): WorkspacePackage[] {
  const byName = new Map(packages.map((each) => [each.name, each]));
  const ordered: WorkspacePackage[] = [];
  const visiting = new Set<string>();
  const visit = (each: WorkspacePackage): void => {
    if (ordered.includes(each)) return;
    if (visiting.has(each.name))
      throw new Error(
        `bundle: the dependencies in package.json of the @bot/* packages form a cycle through ${each.packageName}: packages import only downwards (core <- http <- gateway <- client), remove the upward dependency`,
      );
    visiting.add(each.name);
    for (const dependency of each.dependsOn) visit(byName.get(dependency)!);
    visiting.delete(each.name);
    ordered.push(each);
  };
  for (const each of packages) visit(each);
  return ordered;
}

/**
 * The packages to bundle when `named` are asked for: those (by folder name or package name) and
 * every workspace package they import at run time, dependencies first; all of them when none is
 * named. A package's built JavaScript imports its `@bot/*` dependencies' `dist`, so building one
 * package alone must build those too (as `tsc -b` does for their declarations).
 *
 * @throws Error naming an unknown package and the known ones
 */
export function selectPackages(
  all: readonly WorkspacePackage[],
  named: readonly string[],
): WorkspacePackage[] {
  if (named.length === 0) return [...all];
  const byName = new Map(
    all.flatMap((each) => [[each.name, each] as const, [each.packageName, each] as const]),
  );
  const wanted = new Set<string>();
  const want = (each: WorkspacePackage): void => {
    if (wanted.has(each.name)) return;
    wanted.add(each.name);
    for (const dependency of each.dependsOn) want(byName.get(dependency)!);
  };
  for (const name of named) {
    const found = byName.get(name);
    if (found === undefined) {
      throw new Error(
        `bundle: there is no workspace package ${name}: name one of ${all.map((each) => each.name).join(', ')}`,
      );
    }
    want(found);
  }
  return all.filter((each) => wanted.has(each.name));
}

/**
 * The bundle entries of a package, output name under `dist/` → source file: one per `exports`
 * target (`./dist/x.js` from `src/x.ts`), and the files it loads by path.
 *
 * @throws Error for an export that ships no JavaScript of the bundle (no `import` condition, not
 * under `./dist`, no source file), naming the export and how to fix it
 */
export function bundleEntries(pkg: WorkspacePackage): Record<string, string> {
  const manifest = readManifest(pkg.dir);
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (subpath === './package.json') continue;
    const file = typeof target === 'string' ? target : target.import;
    const where = `${pkg.packageName}: the export ${subpath} in package.json`;
    if (file === undefined) {
      throw new Error(`bundle: ${where} has no "import" condition: name its ./dist/….js file under "import"`);
    }
    const match = /^\.\/dist\/(.+)\.js$/.exec(file);
    if (match === null) {
      throw new Error(
        `bundle: ${where} points at ${file}: point it at ./dist/<path>.js, built from src/<path>.ts`,
      );
    }
    const source = join(pkg.dir, 'src', `${match[1]!}.ts`);
    if (!existsSync(source)) {
      throw new Error(
        `bundle: ${where} points at ${file}, but src/${match[1]!}.ts does not exist: add it or fix the export`,
      );
    }
    entries[match[1]!] = source;
  }
  for (const [out, source] of Object.entries(LOADED_BY_PATH[pkg.name] ?? {}))
    entries[out] = join(pkg.dir, source);
  return entries;
}
