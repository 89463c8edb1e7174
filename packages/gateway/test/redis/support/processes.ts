import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@bot/testing';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));

/** A fixture script run with `node --import tsx`, with IPC to the test. */
export class FixtureProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  readonly #messages: { type: string }[] = [];
  #waiters: (() => void)[] = [];

  /**
   * @param script - file name under `fixtures/`
   * @param args - its arguments
   * @param env - extra environment
   */
  public constructor(script: string, args: string[] = [], env: Record<string, string> = {}) {
    const path = fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url));
    this.#child = fork(path, args, {
      execArgv: ['--import', 'tsx'],
      cwd: root,
      // Aliases of vitest do not reach a child: the test tsconfig maps @bot/* to the sources.
      env: { ...process.env, TSX_TSCONFIG_PATH: `${root}tsconfig.test.json`, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: { type: string }) => {
      this.#messages.push(message);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.#exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
    void this.#exited.then(() => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Every message the process has sent so far, in order. */
  public get messages(): readonly { type: string }[] {
    return this.#messages;
  }

  /** Resolves when the process has sent a message of this type; rejects if it exits first or after `timeoutMs`. */
  public async waitFor(type: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#messages.some((message) => message.type === type)) {
      if (this.#child.exitCode !== null)
        throw new Error(`fixture exited with ${this.#child.exitCode} before '${type}'`);
      if (Date.now() > deadline) throw new Error(`fixture sent no '${type}' within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Kills the process with SIGKILL (a crash) and resolves once it is gone. */
  public async crash(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** Asks the process to stop (SIGTERM) and resolves with its exit code; kills it after `graceMs`. */
  public async stop(graceMs = 10_000): Promise<number | null> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return this.#child.exitCode;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    const code = await this.#exited;
    clearTimeout(timer);
    return code;
  }
}

/** Which shards a shard-range fixture runs, and where it keeps its Redis keys. */
export interface ShardRange {
  redisUrl: string;
  prefix: string;
  from: number;
  to: number;
  total: number;
}

/**
 * Starts a shard-range fixture process (`fixtures/shardRange.ts` and the scripts built on it)
 * against `emulator`, handing it `settings` of its own beside the range.
 *
 * @param script - file name under `fixtures/`
 */
export function startShardRange(
  script: string,
  emulator: Emulator,
  range: ShardRange,
  settings: Record<string, unknown> = {},
): FixtureProcess {
  const fixture = {
    ...range,
    appId: emulator.appId,
    secret: emulator.secret,
    restUrl: emulator.restUrl,
    tokenUrl: emulator.tokenUrl,
    ...settings,
  };
  return new FixtureProcess(script, [], { FIXTURE: JSON.stringify(fixture) });
}
