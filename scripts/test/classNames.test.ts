import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renamedClasses, restoreClassNames, sourceClassNames } from '../bundle/classNames.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-names-'));
  mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `src/index.ts` of the temporary package with the build's settings for names. */
async function bundle(): Promise<{ path: string; text: string }[]> {
  const { outputFiles } = await build({
    entryPoints: [join(dir, 'src', 'index.ts')],
    outdir: join(dir, 'dist'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    keepNames: false,
    write: false,
    logLevel: 'silent',
  });
  return outputFiles.map((file) => ({ path: file.path, text: file.text }));
}

let loads = 0;
/** Loads bundled code as a module. */
async function load(text: string): Promise<Record<string, { name: string }>> {
  const path = join(dir, `loaded-${(loads += 1)}.mjs`);
  writeFileSync(path, text);
  return (await import(pathToFileURL(path).href)) as Record<string, { name: string }>;
}

const source = (path: string, ...lines: string[]): void =>
  writeFileSync(join(dir, 'src', path), lines.join('\n'));

describe('restoreClassNames', () => {
  it('gives a class that names itself in its body its name back before the module code reads it', async () => {
    source(
      'index.ts',
      'export class Flags {',
      '  constructor(readonly bits: number) {}',
      '  static none(): Flags { return new Flags(0); }',
      '}',
      'export class Plain {}',
      'export const nameAtLoad = Flags.name;',
    );
    const [output] = await bundle();
    const text = output?.text ?? '';
    expect(text).toMatch(/var Flags = class _Flags/);
    expect((await load(text)).Flags?.name).toBe('_Flags');

    const restored = restoreClassNames(text);
    const loaded = await load(restored);
    expect(loaded.Flags?.name).toBe('Flags');
    expect(loaded.nameAtLoad).toBe('Flags');
    expect(loaded.Plain?.name).toBe('Plain');
    expect(restored.split('\n')).toHaveLength(text.split('\n').length);
  });

  it('leaves a bundle without such classes byte for byte as it was', () => {
    const text = 'var Plain = class extends Base {\n  /** class Mentioned in a comment */\n};\n';
    expect(restoreClassNames(text)).toBe(text);
  });
});

describe('renamedClasses', () => {
  it('finds a top-level class esbuild renamed because two modules declare the same name', async () => {
    source('a.ts', 'export class Refusal extends Error {}');
    source('deep/b.ts', 'export class Refusal extends Error {}');
    source(
      'index.ts',
      "export { Refusal } from './a.js';",
      "export { Refusal as OtherRefusal } from './deep/b.js';",
    );
    const renamed = renamedClasses(await bundle(), sourceClassNames(join(dir, 'src')));
    expect(renamed).toHaveLength(1);
    expect(renamed[0]).toMatch(/: Refusal\d$/);
  });

  it('finds a class inside a function that esbuild renamed because it shadows a top-level one', async () => {
    source(
      'index.ts',
      'export class Model {}',
      'export function local() {',
      '  class Model { read() { return Model; } }',
      '  return new Model();',
      '}',
    );
    const renamed = renamedClasses(await bundle(), sourceClassNames(join(dir, 'src')));
    expect(renamed).toEqual([expect.stringMatching(/: Model\d$/)]);
  });

  it('passes a bundle whose classes all keep their names, and wraps no named closure', async () => {
    source(
      'index.ts',
      '/** Not a class Shadowed2 either. */',
      'export abstract class Base {}',
      'export class Shape extends Base {',
      '  read(): () => number { const value = () => 1; return value; }',
      '}',
    );
    const outputs = await bundle();
    expect(renamedClasses(outputs, sourceClassNames(join(dir, 'src')))).toEqual([]);
    expect(outputs.map((file) => file.text).join('')).not.toContain('__name');
  });

  it('reads class names from the code of every .ts file below src, never from comments or strings', () => {
    source(
      'index.ts',
      'export abstract class Base {}',
      'class Local {}',
      '// class Commented',
      "const text = 'class Quoted';",
    );
    source('deep/x.ts', 'export class Deep extends Base {}', 'export const Made = class {};');
    source('deep/notes.md', 'class Ignored');
    expect([...sourceClassNames(join(dir, 'src'))].sort()).toEqual(['Base', 'Deep', 'Local', 'Made']);
  });
});
