/**
 * Writing a bundle's files into a `dist/` that other processes read while it is written: several
 * people (and their test runs, which all build first) share one working tree, so a file is never
 * rewritten in place and a build never removes what a concurrent build has just written.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One file of a bundle: where it goes and its bytes (esbuild's `OutputFile` is one). */
export interface OutputBytes {
  /** Absolute path. */
  readonly path: string;
  /** The file's bytes. */
  readonly contents: Uint8Array;
}

/** Whether `path` holds exactly `contents`. */
function holds(path: string, contents: Uint8Array): boolean {
  try {
    return Buffer.from(contents).equals(readFileSync(path));
  } catch {
    return false; // not there yet
  }
}

/**
 * Replaces `path` with `contents` in one step: the bytes go to a temporary file of this process,
 * which is then renamed over `path`, so a reader sees the old file or the new one, never a part.
 */
function replaceFile(path: string, contents: Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Writes the bundle's files: the shared chunks before the entries that import them, so a process
 * starting meanwhile finds every file an entry names; a file whose bytes are unchanged is left
 * alone (its readers, and the build tools watching its time, see nothing happen), any other is
 * replaced atomically.
 *
 * @returns the paths it wrote (the unchanged ones left out)
 */
export function writeOutputs(files: readonly OutputBytes[]): string[] {
  const chunksFirst = [...files].sort(
    (a, b) => Number(!basename(a.path).startsWith('chunk-')) - Number(!basename(b.path).startsWith('chunk-')),
  );
  const written: string[] = [];
  for (const file of chunksFirst) {
    if (holds(file.path, file.contents)) continue;
    mkdirSync(dirname(file.path), { recursive: true });
    replaceFile(file.path, file.contents);
    written.push(file.path);
  }
  return written;
}

/**
 * Removes what the bundle does not write under `dist`: each `.js` and `.js.map` that is not in
 * `keep` (a stale per-file module must not ship beside the bundle), and, when `src` is given, each
 * declaration whose source file is gone (`tsc -b` never deletes the outputs of a removed file);
 * the temporary files of builds that died; then each folder that this leaves empty.
 *
 * @param startedAt - when this build started (`Date.now()`): a `.js` changed since then was
 * written by a concurrent build, perhaps from newer sources, and stays (the next build removes it
 * if it is stale)
 */
export function removeStaleOutputs(
  dist: string,
  keep: ReadonlySet<string>,
  src?: string,
  startedAt = Number.POSITIVE_INFINITY,
): void {
  let entries;
  try {
    entries = readdirSync(dist, { withFileTypes: true });
  } catch {
    return; // not built yet
  }
  for (const entry of entries) {
    const path = join(dist, entry.name);
    const declared = /^(.+)\.d\.ts(\.map)?$/.exec(entry.name)?.[1];
    if (entry.isDirectory()) {
      removeStaleOutputs(path, keep, src === undefined ? undefined : join(src, entry.name), startedAt);
      removeIfEmpty(path);
    } else if (isLeftBehind(entry.name)) {
      rmSync(path, { force: true });
    } else if (/\.js(\.map)?$/.test(entry.name) && !keep.has(path)) {
      if (changedSince(path, startedAt)) continue;
      rmSync(path, { force: true });
    } else if (src !== undefined && declared !== undefined && !existsSync(join(src, `${declared}.ts`))) {
      rmSync(path, { force: true });
    }
  }
}

/** Whether `path` was modified at or after `time` (a file already gone counts as changed: leave it). */
function changedSince(path: string, time: number): boolean {
  try {
    return statSync(path).mtimeMs >= time;
  } catch {
    return true;
  }
}

/** Removes the folder `path` if it holds nothing (a concurrent build may just have written into it). */
function removeIfEmpty(path: string): void {
  try {
    if (readdirSync(path).length === 0) rmdirSync(path);
  } catch {
    // written into or removed meanwhile: leave it
  }
}

/** Whether `name` is the temporary file of a build whose process is gone (it died between write and rename). */
function isLeftBehind(name: string): boolean {
  const pid = /\.tmp-(\d+)$/.exec(name)?.[1];
  if (pid === undefined) return false;
  try {
    process.kill(Number(pid), 0); // signal 0 only asks whether the process exists
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
