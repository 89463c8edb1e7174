import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../../src/workers/workerExecArgv.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WORKERS = new URL('../../src/workers/', import.meta.url);

describe('workerExecArgv', () => {
  it('drops the flags about code on the command line, with their values, and keeps the rest', () => {
    expect(
      workerExecArgv([
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        'code()',
        '--max-old-space-size=256',
        '--input-type',
        'commonjs',
        '--eval=code()',
        '--print',
        'code()',
        '-p',
        'code()',
        '-pe',
        'code()',
        '--conditions=development',
      ]),
    ).toEqual(['--import', 'tsx', '--max-old-space-size=256', '--conditions=development']);
  });

  it('lets a bot started with node --input-type=module -e run a shard thread from a file', () => {
    // The thread's entry exits with 7 as it loads: reaching it is what this checks.
    const dir = mkdtempSync(join(tmpdir(), 'worker-exec-argv-'));
    const entry = join(dir, 'exitsAtLoad.mjs');
    writeFileSync(entry, 'process.exit(7);\n');
    const code = `
      import { ShardWorker } from ${JSON.stringify(new URL('ShardWorker.ts', WORKERS).href)};
      import { WorkerShard } from ${JSON.stringify(new URL('WorkerShard.ts', WORKERS).href)};
      const init = { behaviour: {}, intents: 0, logLevel: 7, maxBatch: 16, maxUnacked: 64, durableSeq: false, storeCallMs: 1000 };
      const services = () => ({ sessionStore: { get: async () => undefined, set: async () => {}, delete: async () => {} }, logger: { settings: { minLevel: 7 }, getSubLogger: () => services().logger, error() {}, warn() {}, info() {}, debug() {}, log() {} } });
      const thread = new ShardWorker(0, { entry: new URL(${JSON.stringify(pathToFileURL(entry).href)}), eval: false }, init, services, { maxRestarts: 0, baseMs: 10, maxMs: 10 });
      thread.attach(new WorkerShard(0, 1, 'ws://127.0.0.1:9/never', thread, 1000));
      thread.thread.on('error', (error) => console.log('error ' + error.code));
      thread.thread.on('exit', (code) => { console.log('exit ' + code); process.exit(0); });
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('exit 7');
  });
});
