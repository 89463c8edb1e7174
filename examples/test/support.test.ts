import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/http';
import { ENV, Platform, untilShutdownSignal } from '../support/index.js';
import { runExample } from './runExample.js';

describe('Platform.connect', () => {
  it('uses the platform (or its sandbox) when both credentials are set, without starting an emulator', async () => {
    const platform = await Platform.connect(
      {},
      { [ENV.appId]: '1020', [ENV.secret]: 'secret', [ENV.sandbox]: '1' },
    );
    expect(platform.emulator).toBeUndefined();
    expect(platform.token.appId).toBe('1020');
    expect(platform.describe()).toBe('the QQ platform (sandbox)');
    expect(platform.restOptions()).toMatchObject({ sandbox: true });
    expect(platform.childEnv()).toMatchObject({
      [ENV.appId]: '1020',
      [ENV.sandbox]: '1',
      [ENV.logLevel]: 'info',
    });
  });

  it('points REST and child processes at another host given QQ_BOT_API_URL', async () => {
    const platform = await Platform.connect(
      {},
      {
        [ENV.appId]: '1020',
        [ENV.secret]: 'secret',
        [ENV.apiUrl]: 'http://127.0.0.1:9000',
        [ENV.logLevel]: 'debug',
      },
    );
    expect(platform.restOptions()).toMatchObject({ baseUrl: 'http://127.0.0.1:9000' });
    expect(platform.childEnv()).toEqual({
      [ENV.appId]: '1020',
      [ENV.secret]: 'secret',
      [ENV.apiUrl]: 'http://127.0.0.1:9000',
      [ENV.logLevel]: 'debug',
    });
  });

  it('starts an emulator when no credential is set, and hands its URLs to child processes', async () => {
    const platform = await Platform.connect({}, {});
    try {
      expect(platform.emulator).toBeDefined();
      expect(platform.childEnv()).toMatchObject({
        [ENV.appId]: platform.emulator?.appId,
        [ENV.apiUrl]: platform.emulator?.restUrl,
        [ENV.tokenUrl]: platform.emulator?.tokenUrl,
        [ENV.logLevel]: 'warn',
      });
    } finally {
      await platform.stop();
    }
  });

  it.each([
    [{ [ENV.appId]: '1020' }, ENV.secret],
    [{ [ENV.secret]: 'secret' }, ENV.appId],
    [{ [ENV.appId]: '1020', [ENV.secret]: 's', [ENV.sandbox]: 'yes' }, ENV.sandbox],
    [
      { [ENV.appId]: '1020', [ENV.secret]: 's', [ENV.sandbox]: '1', [ENV.apiUrl]: 'http://127.0.0.1:1' },
      ENV.sandbox,
    ],
    [{ [ENV.appId]: '1020', [ENV.secret]: 's', [ENV.apiUrl]: 'not a url' }, ENV.apiUrl],
    [{ [ENV.appId]: '1020', [ENV.secret]: 's', [ENV.tokenUrl]: 'http://127.0.0.1:1/token' }, ENV.tokenUrl],
    [{ [ENV.appId]: '1020', [ENV.secret]: 's', [ENV.logLevel]: 'loud' }, ENV.logLevel],
  ])('refuses %o, naming %s', async (env, variable) => {
    const error = await Platform.connect({}, env).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(variable);
  });

  // A user who exported one of the two gets told both ways out, not only that the other is missing.
  it.each([
    [{ [ENV.appId]: '1020' }, `${ENV.secret} is not set while ${ENV.appId} is`],
    [{ [ENV.secret]: 'secret' }, `${ENV.appId} is not set while ${ENV.secret} is`],
  ])('given only one credential (%o), says to set both or neither', async (env, problem) => {
    const error = await Platform.connect({}, env).catch((caught: unknown) => caught);
    expect((error as ValidationError).message).toBe(
      `${problem}: set both for the QQ platform, or unset both to run on the embedded emulator`,
    );
  });
});

describe('runMain', () => {
  it('reports a failure and exits 1, even while a socket still holds the process open', async () => {
    const run = await runExample('test/fixtures/fails-while-busy.ts');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('failed: the script went wrong');
  }, 60_000);
});

describe('untilShutdownSignal', () => {
  const wasTty = process.stdout.isTTY;
  afterEach(() => {
    process.stdout.isTTY = wasTty;
    vi.restoreAllMocks();
  });

  /** Emits `signal` to this process's listeners only (no real signal is sent). */
  function signalled(
    signal: NodeJS.Signals,
    tty: boolean,
  ): { signal: Promise<NodeJS.Signals>; written: string[] } {
    process.stdout.isTTY = tty;
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const signal$ = untilShutdownSignal();
    process.emit(signal, signal);
    return { signal: signal$, written };
  }

  it('on Ctrl-C in a terminal, ends the line the terminal echoed ^C on, so the next line stands alone', async () => {
    const run = signalled('SIGINT', true);
    expect(await run.signal).toBe('SIGINT');
    expect(run.written).toEqual(['\n']);
  });

  it('writes nothing for SIGTERM or when the output is no terminal', async () => {
    const term = signalled('SIGTERM', true);
    expect(await term.signal).toBe('SIGTERM');
    expect(term.written).toEqual([]);
    vi.restoreAllMocks();
    const piped = signalled('SIGINT', false);
    expect(await piped.signal).toBe('SIGINT');
    expect(piped.written).toEqual([]);
  });
});
