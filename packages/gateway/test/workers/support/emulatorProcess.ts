import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { GatewayInfoSource, SessionStartLimit } from '@bot/gateway';

/** What the emulator's CLI prints once it listens. */
interface EmulatorInfo {
  restUrl: string;
  gatewayUrl: string;
  tokenUrl: string;
  appId: string;
  secret: string;
  controlUrl: string;
}

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../../../testing/src/cli.ts', import.meta.url));

/**
 * The emulator in a process of its own (the `qq-emulator` CLI on 127.0.0.1, port 0), so that
 * blocking the test's main thread does not stop the platform's clock: it keeps counting the
 * heartbeat deadline and closes a silent connection with 4009, as the real platform does.
 */
export class EmulatorProcess {
  readonly #child: ChildProcess;
  public readonly info: EmulatorInfo;

  private constructor(child: ChildProcess, info: EmulatorInfo) {
    this.#child = child;
    this.info = info;
  }

  /** Starts the CLI with `args` and waits (at most 30 s) for its ready line. */
  public static async start(args: string[]): Promise<EmulatorProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines = createInterface({ input: child.stdout! });
    const timeout = AbortSignal.timeout(30_000);
    try {
      const [line] = (await once(lines, 'line', { signal: timeout })) as [string];
      return new EmulatorProcess(child, JSON.parse(line) as EmulatorInfo);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`the emulator process did not start in 30 s`, { cause: error });
    }
  }

  /** `/gateway/bot` as the emulator's control API reports it. */
  public gatewayInfo(): GatewayInfoSource {
    return {
      gatewayBot: async () => {
        const limit = (await this.control('GET', '/session-limit')) as SessionStartLimit;
        return { url: this.info.gatewayUrl, shards: 1, session_start_limit: limit };
      },
    };
  }

  /** Calls the control API (`/__emulator…`), failing on a non-2xx answer. */
  public async control(method: string, path: string, body?: unknown): Promise<unknown> {
    const request = (): Promise<Response> =>
      fetch(this.info.controlUrl + path, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        signal: AbortSignal.timeout(10_000),
      });
    let response: Response;
    try {
      response = await request();
    } catch (error) {
      // A test that blocked this thread past the emulator's keep-alive timeout finds the pooled
      // connection closed under it ("other side closed", before any answer): the emulator never
      // read that request, so it is sent once more on a new connection.
      if (!closedBeforeAnswer(error)) throw error;
      response = await request();
    }
    const answer: unknown = await response.json();
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }

  /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
  public async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Whether `error` is fetch's failure on a pooled connection the server had closed. */
function closedBeforeAnswer(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'UND_ERR_SOCKET';
}
