import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The emulator CLI's source, run through tsx. */
export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
/** The repository root, the CLI's working directory. */
export const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** A CLI process started by {@link startCli}. */
export interface StartedCli {
  child: ChildProcess;
  /** Its first stdout line (the ready line); rejects if it exits first. */
  firstLine: Promise<string>;
  /** Its exit code once it exits. */
  exit: Promise<number | null>;
  /** What it wrote to stderr so far. */
  stderr: () => string;
}

/** Starts the emulator CLI with `args` through tsx (sources, no build needed). */
export function startCli(args: string[]): StartedCli {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exit, stderr: () => stderr };
}
