/**
 * The file a package's `require` export condition names: the packages are ES modules only, and
 * `require()` of one would otherwise fail with Node's bare `ERR_PACKAGE_PATH_NOT_EXPORTED`. Written
 * into each package's `dist/` by the build, from this one template.
 */
import { join } from 'node:path';
import type { OutputBytes } from './outputs.js';

/** Where the stub goes in a package, as its `exports` name it (`"require": "./dist/esm-only.cjs"`). */
export const ESM_ONLY_STUB = 'dist/esm-only.cjs';

/**
 * The CommonJS source that throws an `ERR_REQUIRE_ESM` error naming `packageName` and how to load it.
 *
 * @param packageName - the package's name, as users import it
 */
export function esmOnlyStubSource(packageName: string): string {
  const name = JSON.stringify(packageName);
  return `'use strict';
// What require(${name}) loads: the package is an ES module only; this says how to load it.
const error = new Error(
  ${name} + ' is an ES module only package and cannot be loaded with require(). ' +
    'Load it with import from an ES module (a .mjs file, or "type": "module" in your package.json; ' +
    'in TypeScript, "module": "NodeNext"), or with await import(' + ${JSON.stringify(`'${packageName}'`)} + ') from CommonJS.',
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
`;
}

/**
 * The stub of the package in `dir`, as one more output of its build.
 *
 * @param dir - the package's folder
 * @param packageName - its name
 */
export function esmOnlyStub(dir: string, packageName: string): OutputBytes {
  return {
    path: join(dir, ESM_ONLY_STUB),
    contents: new TextEncoder().encode(esmOnlyStubSource(packageName)),
  };
}
