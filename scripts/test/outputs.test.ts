import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleOutputs, writeOutputs } from '../bundle/outputs.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-outputs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('writeOutputs', () => {
  it('leaves a file whose bytes are unchanged untouched (same inode, same mtime)', () => {
    const path = join(dir, 'index.js');
    writeFileSync(path, 'export const a = 1;\n');
    utimesSync(path, 1_000, 1_000);
    const before = statSync(path);
    const written = writeOutputs([{ path, contents: bytes('export const a = 1;\n') }]);
    const after = statSync(path);
    expect(written).toEqual([]);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('replaces a changed file by renaming a complete copy over it, never rewriting it in place', () => {
    const path = join(dir, 'index.js');
    writeFileSync(path, 'export const a = 1;\n');
    const before = statSync(path);
    writeOutputs([{ path, contents: bytes('export const a = 2;\n') }]);
    // A reader that opened the old file keeps reading the old inode; a new reader sees the whole new one.
    expect(statSync(path).ino).not.toBe(before.ino);
    expect(readFileSync(path, 'utf8')).toBe('export const a = 2;\n');
    expect(readdirSync(dir)).toEqual(['index.js']); // no temporary file left behind
  });

  it('writes the shared chunks before the entries that import them, creating folders', () => {
    const entry = join(dir, 'redis', 'index.js');
    const chunk = join(dir, 'chunk-ABC.js');
    const written = writeOutputs([
      { path: entry, contents: bytes('import "../chunk-ABC.js";\n') },
      { path: chunk, contents: bytes('export {};\n') },
    ]);
    expect(written).toEqual([chunk, entry]);
    expect(readFileSync(entry, 'utf8')).toContain('chunk-ABC');
  });
});

describe('removeStaleOutputs', () => {
  it('keeps the declarations whose source exists, removes orphaned ones and stray .js/.js.map', () => {
    const dist = join(dir, 'dist');
    const src = join(dir, 'src');
    mkdirSync(join(dist, 'redis'), { recursive: true });
    mkdirSync(join(src, 'redis'), { recursive: true });
    writeFileSync(join(src, 'index.ts'), '');
    writeFileSync(join(src, 'redis', 'index.ts'), '');
    const files = [
      'index.js',
      'index.js.map',
      'index.d.ts',
      'index.d.ts.map',
      'gone.d.ts',
      'gone.d.ts.map',
      'old.js',
      'old.js.map',
      'redis/index.d.ts',
      'redis/stale.js',
      'redis/removed.d.ts',
    ];
    for (const file of files) writeFileSync(join(dist, file), '');
    removeStaleOutputs(dist, new Set([join(dist, 'index.js'), join(dist, 'index.js.map')]), src);
    expect(readdirSync(dist, { recursive: true }).map(String).sort()).toEqual(
      ['index.d.ts', 'index.d.ts.map', 'index.js', 'index.js.map', 'redis', 'redis/index.d.ts'].sort(),
    );
  });

  it('with nothing to keep and no sources (--clean), removes the JavaScript and the folders it empties', () => {
    const dist = join(dir, 'dist');
    mkdirSync(join(dist, 'workers'), { recursive: true });
    writeFileSync(join(dist, 'index.js'), '');
    writeFileSync(join(dist, 'index.d.ts'), '');
    writeFileSync(join(dist, 'workers', 'shardWorkerMain.js'), '');
    removeStaleOutputs(dist, new Set());
    expect(readdirSync(dist, { recursive: true }).map(String)).toEqual(['index.d.ts']);
  });

  it('keeps a .js written after this build started (a concurrent build from newer sources wrote it)', () => {
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'chunk-OLD.js'), '');
    utimesSync(join(dist, 'chunk-OLD.js'), 1_000, 1_000);
    const startedAt = Date.now();
    writeFileSync(join(dist, 'chunk-NEW.js'), '');
    utimesSync(join(dist, 'chunk-NEW.js'), (startedAt + 10) / 1000, (startedAt + 10) / 1000);
    removeStaleOutputs(dist, new Set(), undefined, startedAt);
    expect(readdirSync(dist)).toEqual(['chunk-NEW.js']);
  });

  it('removes the temporary file a build that died left behind, not one a running build is writing', () => {
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.js'), '');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dist, `index.js.tmp-${dead}`), 'half');
    writeFileSync(join(dist, `chunk-A.js.tmp-${process.pid}`), 'being written');
    removeStaleOutputs(dist, new Set([join(dist, 'index.js')]));
    expect(readdirSync(dist).sort()).toEqual([`chunk-A.js.tmp-${process.pid}`, 'index.js']);
  });
});
