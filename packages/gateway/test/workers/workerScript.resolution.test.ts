import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { builtWorkerScript, WORKER_EXPORT } from '../../src/workers/workerScript.js';

// The built package finds its thread entry by name; Node.js 20.0–20.5 have no synchronous
// import.meta.resolve, so there it falls back to the layout of the package's dist folder.

/** A built package's dist folder: the bundled module at its root, the entry in `workers/` if asked. */
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function distFolder(withEntry: boolean): { bundle: string; entry: string } {
  const dist = mkdtempSync(join(tmpdir(), 'gateway-dist-'));
  folders.push(dist);
  const entry = join(dist, 'workers', 'shardWorkerMain.js');
  if (withEntry) {
    mkdirSync(join(dist, 'workers'));
    writeFileSync(entry, '');
  }
  return { bundle: pathToFileURL(join(dist, 'index.js')).href, entry };
}

function validationFailure(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'workerScript', kind: 'validation' });
    expect((error as Error).message).toMatch(/emit @bot\/gateway\/worker as an entry of your bundle/);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('the built worker entry point', () => {
  it('without import.meta.resolve (Node.js 20.0–20.5): is workers/shardWorkerMain.js beside the bundle', () => {
    const { bundle, entry } = distFolder(true);
    const script = builtWorkerScript(bundle, undefined);
    expect(script.eval).toBe(false);
    expect(script.entry).toBeInstanceOf(URL);
    expect(fileURLToPath(script.entry as URL)).toBe(entry);
  });

  it('without import.meta.resolve: a dist folder with no entry fails with a ValidationError naming the file', () => {
    const { bundle, entry } = distFolder(false);
    const error = validationFailure(() => builtWorkerScript(bundle, undefined));
    expect(error.message).toContain(entry);
  });

  it('with a resolver: runs the file the package export resolves to, wherever the bundle sits', () => {
    const { entry } = distFolder(true);
    const asked: string[] = [];
    const elsewhere = pathToFileURL(join(tmpdir(), 'app', 'main.js')).href;
    const script = builtWorkerScript(elsewhere, (specifier) => {
      asked.push(specifier);
      return pathToFileURL(entry).href;
    });
    expect(asked).toEqual([WORKER_EXPORT]);
    expect(fileURLToPath(script.entry as URL)).toBe(entry);
    expect(script.eval).toBe(false);
  });

  it('with a resolver that cannot find the export (an app bundle inlined the package): a ValidationError with its reason', () => {
    const { bundle } = distFolder(true);
    const error = validationFailure(() =>
      builtWorkerScript(bundle, (specifier) => {
        throw Object.assign(new Error(`Cannot find package '${specifier}' imported from ${bundle}`), {
          code: 'ERR_MODULE_NOT_FOUND',
        });
      }),
    );
    expect(error.message).toContain(`${WORKER_EXPORT} cannot be resolved from here`);
    expect(error.message).toContain(`ERR_MODULE_NOT_FOUND: Cannot find package '${WORKER_EXPORT}'`);
  });

  it('with a resolver that finds the package but not its export: a ValidationError naming why, not "cannot find"', () => {
    const { bundle } = distFolder(true);
    const error = validationFailure(() =>
      builtWorkerScript(bundle, () => {
        throw Object.assign(new Error(`Package subpath './worker' is not defined by "exports"`), {
          code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
        });
      }),
    );
    expect(error.message).toContain(
      `ERR_PACKAGE_PATH_NOT_EXPORTED: Package subpath './worker' is not defined by "exports"`,
    );
  });

  it('with a resolver naming a file that does not exist: a ValidationError naming the file', () => {
    const { entry } = distFolder(false);
    const error = validationFailure(() =>
      builtWorkerScript(pathToFileURL(tmpdir()).href, () => pathToFileURL(entry).href),
    );
    expect(error.message).toContain(entry);
  });
});
