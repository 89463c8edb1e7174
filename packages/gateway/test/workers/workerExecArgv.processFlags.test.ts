import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// Node refuses V8 and process-wide flags (--max-old-space-size, --stack-size, --title, …) in a
// worker's explicit execArgv, though a worker that inherits them takes them: a bot started with a
// heap size, as production bots often are, must still run its shards on threads.

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WORKERS = new URL('../../src/workers/', import.meta.url);

/** A program that starts one shard thread whose entry exits with 7 as it loads, and prints how it ended. */
function program(): string {
  const dir = mkdtempSync(join(tmpdir(), 'worker-process-flags-'));
  const entry = join(dir, 'exitsAtLoad.mjs');
  writeFileSync(entry, 'process.exit(7);\n');
  return `
    import { ShardWorker } from ${JSON.stringify(new URL('ShardWorker.ts', WORKERS).href)};
    import { WorkerShard } from ${JSON.stringify(new URL('WorkerShard.ts', WORKERS).href)};
    const init = { behaviour: {}, intents: 0, logLevel: 7, maxBatch: 16, maxUnacked: 64, durableSeq: false, storeCallMs: 1000 };
    const services = () => ({ sessionStore: { get: async () => undefined, set: async () => {}, delete: async () => {} }, logger: { settings: { minLevel: 7 }, getSubLogger: () => services().logger, error() {}, warn() {}, info() {}, debug() {}, log() {} } });
    const thread = new ShardWorker(0, { entry: new URL(${JSON.stringify(pathToFileURL(entry).href)}), eval: false }, init, services, { maxRestarts: 0, baseMs: 10, maxMs: 10 });
    thread.attach(new WorkerShard(0, 1, 'ws://127.0.0.1:9/never', thread, 1000));
    thread.thread.on('error', (error) => console.log('error ' + error.code));
    thread.thread.on('exit', (code) => { console.log('exit ' + code); process.exit(0); });
  `;
}

function run(args: string[]): { stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 15_000 });
  return { stdout: child.stdout.trim(), stderr: child.stderr };
}

describe('shard threads of a process started with V8 or process-wide flags', () => {
  it('start from a bot file run with --max-old-space-size and --stack-size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-process-flags-main-'));
    const main = join(dir, 'bot.mjs');
    writeFileSync(main, program());
    const { stdout, stderr } = run(['--import', 'tsx', '--max-old-space-size=256', '--stack-size=900', main]);
    expect(stderr).toBe('');
    expect(stdout).toBe('exit 7');
  });

  it('start from a bot given as --input-type=module -e code with --max-old-space-size', () => {
    const { stdout, stderr } = run([
      '--import',
      'tsx',
      '--max-old-space-size=256',
      '--input-type=module',
      '-e',
      program(),
    ]);
    expect(stderr).toBe('');
    expect(stdout).toBe('exit 7');
  });
});
