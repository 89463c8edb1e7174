import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleEntries, selectPackages, workspacePackages } from '../bundle/workspace.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-workspace-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A package under `dir` with the given manifest fields and empty source files. */
function addPackage(name: string, manifest: object, sources: string[] = ['index.ts']): void {
  mkdirSync(join(dir, name, 'src'), { recursive: true });
  writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name: `@bot/${name}`, ...manifest }));
  for (const source of sources) {
    mkdirSync(join(dir, name, 'src', source, '..'), { recursive: true });
    writeFileSync(join(dir, name, 'src', source), '');
  }
}

const exportsIndex = { exports: { '.': { import: './dist/index.js' }, './package.json': './package.json' } };

describe('selectPackages', () => {
  it('bundles a named package with the workspace packages it imports, dependencies first', () => {
    addPackage('core', exportsIndex);
    addPackage('http', { ...exportsIndex, dependencies: { '@bot/core': 'workspace:*', got: '1.0.0' } });
    addPackage('testing', { ...exportsIndex, dependencies: { '@bot/core': 'workspace:*' } });
    addPackage('client', {
      ...exportsIndex,
      dependencies: { '@bot/http': 'workspace:*', '@bot/core': 'workspace:*' },
      devDependencies: { '@bot/testing': 'workspace:*' },
    });
    const all = workspacePackages(dir);
    expect(all.map((each) => each.name).sort()).toEqual(['client', 'core', 'http', 'testing']);
    expect(all.findIndex((each) => each.name === 'core')).toBeLessThan(
      all.findIndex((each) => each.name === 'http'),
    );
    expect(all.findIndex((each) => each.name === 'http')).toBeLessThan(
      all.findIndex((each) => each.name === 'client'),
    );
    expect(selectPackages(all, ['client']).map((each) => each.name)).toEqual(['core', 'http', 'client']);
    expect(selectPackages(all, ['@bot/http']).map((each) => each.name)).toEqual(['core', 'http']);
    expect(selectPackages(all, []).length).toBe(4);
    expect(() => selectPackages(all, ['gatewya'])).toThrow(/no workspace package gatewya: name one of/);
  });
});

describe('bundleEntries', () => {
  it('has one entry per export, from src/<path>.ts', () => {
    addPackage('gateway', { exports: { ...exportsIndex.exports, './worker': './dist/workers/main.js' } }, [
      'index.ts',
      'workers/main.ts',
    ]);
    const [gateway] = workspacePackages(dir);
    expect(bundleEntries(gateway!)).toEqual({
      index: join(dir, 'gateway', 'src', 'index.ts'),
      'workers/main': join(dir, 'gateway', 'src', 'workers', 'main.ts'),
    });
  });

  it('refuses an export that would ship no JavaScript, saying how to fix it', () => {
    addPackage('core', { exports: { '.': { types: './dist/index.d.ts' } } });
    addPackage('http', { exports: { '.': './lib/index.js' } });
    addPackage('client', { exports: { './extra': './dist/extra.js' } });
    const byName = new Map(workspacePackages(dir).map((each) => [each.name, each]));
    expect(() => bundleEntries(byName.get('core')!)).toThrow(
      /export \. .*has no "import" condition: name its/,
    );
    expect(() => bundleEntries(byName.get('http')!)).toThrow(
      /points at \.\/lib\/index\.js: point it at \.\/dist/,
    );
    expect(() => bundleEntries(byName.get('client')!)).toThrow(/src\/extra\.ts does not exist/);
  });
});
