import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from './helpers/http.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Starts the CLI through tsx (sources, no build needed) and resolves with its first stdout line. */
function startCli(args: string[]): {
  child: ChildProcess;
  firstLine: Promise<string>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exit };
}

describe('qq-emulator CLI', () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    if (running && running.exitCode === null) running.kill('SIGKILL');
    running = undefined;
  });

  it('prints one JSON line when ready, serves requests and stops cleanly on SIGTERM', async () => {
    const cli = startCli(['--app-id', '777', '--secret', 'cli-secret', '--heartbeat-interval', '2000']);
    running = cli.child;
    const info = JSON.parse(await cli.firstLine) as Record<string, string>;
    expect(Object.keys(info).sort()).toEqual([
      'appId',
      'controlUrl',
      'gatewayUrl',
      'restUrl',
      'secret',
      'tokenUrl',
    ]);
    expect(info).toMatchObject({ appId: '777', secret: 'cli-secret' });
    const token = await call<{ access_token: string }>(info['tokenUrl'] ?? '', 'POST', '', {
      body: { appId: '777', clientSecret: 'cli-secret' },
    });
    expect(token.status).toBe(200);
    const gateway = await call(info['restUrl'] ?? '', 'GET', '/gateway', { token: token.body.access_token });
    expect(gateway.body).toEqual({ url: info['gatewayUrl'] });
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });

  it('stops on SIGINT too', async () => {
    const cli = startCli([]);
    running = cli.child;
    await cli.firstLine;
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
  });

  it('refuses bad flags with exit code 2 and usage on stderr', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--shards', 'many'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running = child;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--shards must be a non-negative integer');
    expect(stderr).toContain('Usage: qq-emulator');
  });
});
