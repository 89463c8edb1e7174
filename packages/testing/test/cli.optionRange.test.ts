import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli } from './support/startCli.js';

describe('qq-emulator CLI: values the emulator refuses', () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    if (running && running.exitCode === null) running.kill('SIGKILL');
    running = undefined;
  });

  it('refuses --shards beyond the emulator bound as a usage error: exit 2 naming flag, range and value', async () => {
    const cli = startCli(['--shards', '20000']);
    running = cli.child;
    await expect(cli.firstLine).rejects.toThrow('exited with 2 before printing');
    expect(cli.stderr()).toContain('--shards must be an integer from 1 to 10,000, got "20000"');
    expect(cli.stderr()).toContain('Usage: qq-emulator');
    expect(cli.stderr()).not.toContain('failed to start');
  });
});
