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
    sourcemap: 'linked',
    write: false,
    logLevel: 'silent',
  });
  return outputFiles
    .filter((file) => file.path.endsWith('.js'))
    .map((file) => ({ path: file.path, text: file.text }));
}

/** Loads a bundled file as a module. */
async function load(text: string): Promise<Record<string, unknown>> {
  const path = join(dir, `loaded-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(path, text);
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

describe('restoreClassNames', () => {
  it('gives a class that names itself in its body its own name back, and keeps the source map comment last', async () => {
    writeFileSync(
      join(dir, 'src', 'index.ts'),
      [
        'export class Flags {',
        '  constructor(readonly bits: number) {}',
        '  static none(): Flags { return new Flags(0); }',
        '  with(bit: number): Flags { return new Flags(this.bits | bit); }',
        '}',
        'export class Plain {}',
      ].join('\n'),
    );
    const [output] = await bundle();
    const text = output?.text ?? '';
    expect(text).toMatch(/var Flags = class _Flags/);
    expect(((await load(text)).Flags as { name: string }).name).toBe('_Flags');

    const restored = restoreClassNames(text);
    const loaded = await load(restored);
    expect((loaded.Flags as { name: string }).name).toBe('Flags');
    expect((loaded.Plain as { name: string }).name).toBe('Plain');
    expect(restored.trimEnd().split('\n').at(-1)).toMatch(/^\/\/# sourceMappingURL=/);
    expect(restored.startsWith(text.slice(0, text.lastIndexOf('//# sourceMappingURL')))).toBe(true);
  });

  it('leaves a bundle without such classes byte for byte as it was', () => {
    const text = 'var Plain = class extends Base {\n};\n//# sourceMappingURL=index.js.map\n';
    expect(restoreClassNames(text)).toBe(text);
  });
});

describe('renamedClasses', () => {
  it('finds the class esbuild renamed because two modules of one bundle declare the same name', async () => {
    writeFileSync(join(dir, 'src', 'a.ts'), 'export class Refusal extends Error {}\n');
    writeFileSync(join(dir, 'src', 'deep', 'b.ts'), 'export class Refusal extends Error {}\n');
    writeFileSync(
      join(dir, 'src', 'index.ts'),
      "export { Refusal } from './a.js';\nexport { Refusal as OtherRefusal } from './deep/b.js';\n",
    );
    const renamed = renamedClasses(await bundle(), sourceClassNames(join(dir, 'src')));
    expect(renamed).toHaveLength(1);
    expect(renamed[0]).toMatch(/: Refusal\d$/);
  });

  it('passes a bundle whose classes all keep their names, and wraps no named closure', async () => {
    writeFileSync(
      join(dir, 'src', 'index.ts'),
      [
        'export abstract class Base {}',
        'export class Shape extends Base {',
        '  read(): () => number { const value = () => 1; return value; }',
        '}',
      ].join('\n'),
    );
    const outputs = await bundle();
    expect(renamedClasses(outputs, sourceClassNames(join(dir, 'src')))).toEqual([]);
    expect(outputs.map((file) => file.text).join('')).not.toContain('__name');
  });

  it('reads class names from every .ts file below src, abstract and unexported ones too', () => {
    writeFileSync(join(dir, 'src', 'index.ts'), 'export abstract class Base {}\nclass Local {}\n');
    writeFileSync(join(dir, 'src', 'deep', 'x.ts'), 'export class Deep extends Base {}\n');
    writeFileSync(join(dir, 'src', 'deep', 'notes.md'), 'class Ignored\n');
    expect([...sourceClassNames(join(dir, 'src'))].sort()).toEqual(['Base', 'Deep', 'Local']);
  });
});
