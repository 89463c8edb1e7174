import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Intent } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';
import { call } from './helpers/http.js';
import { CLI, ROOT, startCli } from './support/startCli.js';

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

  it('logs its addresses, each connection, identify and READY, each event and REST call, never a token', async () => {
    const cli = startCli([]);
    running = cli.child;
    const info = JSON.parse(await cli.firstLine) as Record<string, string>;
    const token = (await call<{ access_token: string }>(info['controlUrl'] ?? '', 'POST', '/token')).body
      .access_token;
    const bot = await GatewayClient.connect(info['gatewayUrl'] ?? '');
    try {
      await bot.next((f) => f.op === 10);
      bot.send({
        op: 2,
        d: { token: `QQBot ${token}`, intents: Intent.PUBLIC_GUILD_MESSAGES, shard: [0, 1] },
      });
      await bot.dispatch('READY');
      await call(info['controlUrl'] ?? '', 'POST', '/simulate/guildAtMessage', { body: { content: 'hi' } });
      await bot.dispatch('AT_MESSAGE_CREATE');
      await call(info['restUrl'] ?? '', 'GET', '/users/@me', { token });
      await vi.waitFor(() => expect(cli.stderr()).toContain('REST GET /users/@me → 200'), { timeout: 5000 });
    } finally {
      await bot.close();
    }
    const log = cli.stderr();
    expect(log).toContain(`REST ${info['restUrl']}`);
    expect(log).toContain(`gateway ${info['gatewayUrl']}`);
    expect(log).toMatch(/INFO\s+gateway #1: connected/);
    expect(log).toContain('gateway #1: identify as shard 0/1');
    expect(log).toMatch(/gateway #1 \(shard 0\/1\): ready, session /);
    expect(log).toMatch(/INFO\s+event AT_MESSAGE_CREATE:\w+ \(guild \d+\)/);
    // Not a terminal: plain text, no colour codes.
    expect(log).not.toContain('\u001b[');
    expect(log).not.toContain(token);
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
    expect(stderr).toContain('--shards must be an integer from 1 to 10,000, got "many"');
    expect(stderr).toContain('Usage: qq-emulator');
  });

  it('refuses an unknown pacing or log level, naming the choices', async () => {
    for (const [flag, value, choices] of [
      ['--pacing', 'slow', 'instant, platform'],
      ['--log-level', 'loud', 'debug, info, warn'],
    ] as const) {
      const cli = startCli([flag, value]);
      running = cli.child;
      await expect(cli.firstLine).rejects.toThrow('exited with 2 before printing');
      expect(cli.stderr()).toContain(`${flag} must be one of ${choices}, got "${value}"`);
    }
  });
});
