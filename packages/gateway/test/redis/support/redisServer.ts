import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { closedPort } from '../../support/closedPort.js';

/** What to do when there is no Redis to test against. */
export const INSTALL_HINT =
  'install Redis (Debian/Ubuntu: `apt-get install redis-server`) or point REDIS_URL at a Redis ≥ 6.2 server';

/** A free TCP port on 127.0.0.1 (free when asked; taken by whoever binds it first). */
export const freePort = closedPort;

async function waitForPort(port: number, timeoutMs: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed();
    if (failure !== undefined) throw new Error(failure);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** How a {@link RedisServer} keeps its data. */
export interface RedisServerOptions {
  /**
   * Directory for an append-only file written on every command (`appendfsync always`), so a
   * restart keeps the data; without it the server keeps nothing.
   */
  dataDir?: string;
}

/** A `redis-server` this process started: 127.0.0.1 only, no persistence unless asked for. */
export class RedisServer {
  private constructor(
    /** Its port. */
    public readonly port: number,
    private process: ChildProcess,
    private readonly options: RedisServerOptions,
  ) {}

  /** `redis://127.0.0.1:<port>`. */
  public get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Starts a server and resolves once it accepts connections.
   *
   * @param port - the port; a free one by default
   * @param options - persistence
   * @throws Error saying how to install Redis when `redis-server` is missing
   */
  public static async start(port?: number, options: RedisServerOptions = {}): Promise<RedisServer> {
    const chosen = port ?? (await freePort());
    return new RedisServer(chosen, await RedisServer.#spawn(chosen, options), options);
  }

  static async #spawn(port: number, options: RedisServerOptions): Promise<ChildProcess> {
    const persistence =
      options.dataDir === undefined
        ? ['--appendonly', 'no']
        : ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.dataDir];
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
      { stdio: 'ignore' },
    );
    let failure: string | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      failure =
        error.code === 'ENOENT'
          ? `redis-server is not installed: ${INSTALL_HINT}`
          : `redis-server failed: ${error.message}`;
    });
    child.once('exit', (code) => {
      failure ??= `redis-server exited with code ${code} before it was ready`;
    });
    try {
      await waitForPort(port, 10_000, () => failure);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return child;
  }

  /** Stops the server (its data is gone unless it has a `dataDir`). */
  public async stop(): Promise<void> {
    const child = this.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Starts the server again on the same port: empty, or with its data from `dataDir`. */
  public async restart(): Promise<void> {
    await this.stop();
    this.process = await RedisServer.#spawn(this.port, this.options);
  }

  /** Starts the server again after {@link RedisServer.stop}, on the same port. */
  public async startAgain(): Promise<void> {
    this.process = await RedisServer.#spawn(this.port, this.options);
  }
}
