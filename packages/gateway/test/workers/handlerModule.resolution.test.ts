import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { resolveHandlerModule } from '../../src/workers/handlerModule.js';

// A bot written in TypeScript names its handler module as the compiler will write it
// (`./bot.js`); run with tsx from its sources, only `bot.ts` is there.

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A folder outside the repository (no tsx is found from it) holding `files`, each empty. */
function folderWith(...files: string[]): (file: string) => URL {
  const folder = mkdtempSync(join(tmpdir(), 'handler-module-'));
  folders.push(folder);
  for (const file of files) writeFileSync(join(folder, file), '');
  return (file) => pathToFileURL(join(folder, file));
}

/**
 * A folder holding `bot.ts` and a `tsx` package that is found but cannot be used: its manifest
 * exports no `./esm/api`.
 */
function folderWithUnusableTsx(): (file: string) => URL {
  const inFolder = folderWith('bot.ts');
  const tsx = fileURLToPath(inFolder('node_modules/tsx'));
  mkdirSync(tsx, { recursive: true });
  const manifest = { name: 'tsx', version: '0.0.0', exports: { './package.json': './package.json' } };
  writeFileSync(join(tsx, 'package.json'), JSON.stringify(manifest));
  return inFolder;
}

/** This folder's fixtures, where tsx is found (the repository's). */
const fixture = (file: string): URL => new URL(`./fixtures/${file}`, import.meta.url);

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'handler', kind: 'validation' });
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('resolveHandlerModule: one handler URL for tsx and for compiled JavaScript', () => {
  it('keeps a URL that names a file, JavaScript or TypeScript', () => {
    const inFolder = folderWith('bot.js', 'bot.ts');
    expect(resolveHandlerModule(inFolder('bot.js')).href).toBe(inFolder('bot.js').href);
    expect(resolveHandlerModule(fixture('reportingHandler.ts')).href).toBe(
      fixture('reportingHandler.ts').href,
    );
  });

  it('takes the TypeScript source beside a missing .js, where tsx is found from it', () => {
    expect(resolveHandlerModule(fixture('reportingHandler.js')).href).toBe(
      fixture('reportingHandler.ts').href,
    );
  });

  it.each([
    ['bot.js', 'bot.ts'],
    ['bot.mjs', 'bot.mts'],
    ['bot.cjs', 'bot.cts'],
  ])('looks for the source of a missing %s in %s', (named, source) => {
    // No tsx is found from this folder: the refusal names the source it found.
    const inFolder = folderWith(source);
    const error = refusal(() => resolveHandlerModule(inFolder(named)));
    expect(error.message).toContain(`${fileURLToPath(inFolder(source))} beside it does`);
  });

  it('names both paths it tried when neither the .js nor the .ts beside it exists', () => {
    const inFolder = folderWith();
    const error = refusal(() => resolveHandlerModule(inFolder('bot.js')));
    expect(error.message).toContain(fileURLToPath(inFolder('bot.js')));
    expect(error.message).toContain(fileURLToPath(inFolder('bot.ts')));
  });

  it('names the file tried for a module that is not JavaScript', () => {
    const inFolder = folderWith();
    const error = refusal(() => resolveHandlerModule(inFolder('bot.ts')));
    expect(error.message).toContain(`${fileURLToPath(inFolder('bot.ts'))}, which does not exist`);
  });

  it('refuses the .ts beside a missing .js when no tsx is found from it, saying to install tsx or build', () => {
    const inFolder = folderWith('bot.ts');
    const error = refusal(() => resolveHandlerModule(inFolder('bot.js')));
    expect(error.message).toContain(fileURLToPath(inFolder('bot.js')));
    expect(error.message).toContain(fileURLToPath(inFolder('bot.ts')));
    expect(error.message).toMatch(/no tsx is found/);
    expect(error.message).toMatch(/install tsx/);
    expect(error.message).toMatch(/compile/);
  });

  it('maps only the pathname of a URL with a query or a hash, and keeps them', () => {
    expect(resolveHandlerModule(fixture('reportingHandler.js?v=2#main')).href).toBe(
      fixture('reportingHandler.ts?v=2#main').href,
    );
    const inFolder = folderWith();
    const error = refusal(() => resolveHandlerModule(new URL('?v=2#main', inFolder('bot.js'))));
    expect(error.message).toContain(fileURLToPath(inFolder('bot.ts')));
  });

  it("keeps why tsx could not be found as the refusal's cause", () => {
    const inFolder = folderWith('bot.ts');
    const error = refusal(() => resolveHandlerModule(inFolder('bot.js')));
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });

  it('says what failed, not that no tsx is found, when the tsx it finds cannot be used', () => {
    const inFolder = folderWithUnusableTsx();
    const error = refusal(() => resolveHandlerModule(inFolder('bot.js')));
    expect(error.message).not.toMatch(/no tsx is found/);
    expect(error.message).toContain(fileURLToPath(inFolder('bot.ts')));
    expect(error.message).toContain('tsx has no ./esm/api export');
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toContain('tsx has no ./esm/api export');
  });
});
