// Import rules of the workspace, checked in CI (`pnpm lint:deps`).
//
// Packages import only downwards: core ← http ← gateway ← client, and testing ← core. A package's
// sources never reach into tests, examples or benchmarks, nor into a package a user does not
// install with it (a devDependency). Runtime imports never form a cycle: a cycle makes the
// evaluation order of modules decide whether a class is defined when it is first used.

/** The sources of a workspace package (what its build compiles and a user loads). */
const source = (pkg) => `^packages/${pkg}/src/`;
/** A workspace package, reached through its sources, its build or its name. */
const workspace = (pkgs) => [`^packages/(${pkgs})/`, `^@bot/(${pkgs})(/|$)`];

/** Each package and the workspace packages its sources may import. */
const layers = {
  core: [],
  http: ['core'],
  gateway: ['core', 'http'],
  client: ['core', 'http', 'gateway'],
  testing: ['core'],
};
const packages = Object.keys(layers);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment:
        'Modules import each other in a circle at run time. Break the circle: import a type with ' +
        '`import type`, type against an interface, or move the shared piece into a module both import.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...packages.map((pkg) => {
      const allowed = [pkg, ...layers[pkg]];
      return {
        name: `layer-${pkg}`,
        severity: 'error',
        comment:
          `packages/${pkg} may import ` +
          (layers[pkg].length === 0 ? 'no other workspace package' : `only ${layers[pkg].join(', ')}`) +
          ': packages import only downwards (core ← http ← gateway ← client; testing ← core).',
        from: { path: source(pkg) },
        to: {
          path: workspace(packages.join('|')),
          pathNot: workspace(allowed.join('|')),
        },
      };
    }),
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment: "A package's sources ship to users; tests, examples and benchmarks do not.",
      from: { path: '^packages/[^/]+/src/' },
      to: { path: ['^packages/[^/]+/test/', '^examples/', '^bench/'] },
    },
    {
      name: 'src-not-to-dev-dependency',
      severity: 'error',
      comment:
        "A package's sources import a devDependency, which a user installing the package does not get. " +
        'Make it a dependency (or an optional peer), or keep the import in tests.',
      from: { path: '^packages/[^/]+/src/' },
      to: {
        dependencyTypes: ['npm-dev'],
        // A devDependency that is also a peer is installed by the user (ioredis for the Redis entry point).
        dependencyTypesNot: ['npm', 'npm-peer', 'npm-optional'],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that resolves to nothing: a misspelled path or a package missing from package.json.',
      from: {},
      // A package's bin loads its build, which exists once the package is built.
      to: { couldNotResolve: true, pathNot: '(^|/)dist/' },
    },
  ],
  options: {
    // Only the packages' own files; their builds and installed packages are not cruised.
    exclude: { path: '^packages/[^/]+/dist/' },
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are recorded (as 'type-only') so the cycle rule can tell them apart.
    tsPreCompilationDeps: true,
    // `@bot/*` resolve to the packages' sources, as the tests see them.
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'node', 'default'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
