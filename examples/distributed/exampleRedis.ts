import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DISTRIBUTED_ENV } from './deployment.js';

/** How long a throwaway `redis-server` may take to accept connections. */
const START_TIMEOUT_MS = 10_000;

/** The Redis the example's processes share. */
export interface ExampleRedis {
  /** Its URL, for the processes' `REDIS_URL`. */
  readonly url: string;
  /** One line saying which Redis it is (no password). */
  readonly description: string;
  /** Stops it if the example started it. */
  stop(): Promise<void>;
}

/**
 * The Redis named by `REDIS_URL`, or else a throwaway `redis-server` on a free port of 127.0.0.1
 * (nothing saved to disk), stopped again by `stop()`.
 *
 * @param env - the environment to read; `process.env` by default
 * @throws Error saying what to do when `REDIS_URL` is unset and `redis-server` cannot be started
 */
export async function exampleRedis(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ExampleRedis> {
  const given = env[DISTRIBUTED_ENV.redisUrl];
  if (given !== undefined && given !== '') {
    const shown = given.replace(/\/\/([^@/]*)@/, '//***@');
    return { url: given, description: `Redis at ${shown}`, stop: () => Promise.resolve() };
  }
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  try {
    await untilListening(server, port);
  } catch (error) {
    server.kill('SIGKILL');
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    description: `a throwaway redis-server on port ${port} (set ${DISTRIBUTED_ENV.redisUrl} to use another)`,
    stop: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill('SIGTERM');
      await once(server, 'exit');
    },
  };
}

/** Resolves once the server accepts connections; rejects when it cannot start. */
async function untilListening(server: ChildProcess, port: number): Promise<void> {
  let failure: string | undefined;
  server.once('error', (error: NodeJS.ErrnoException) => {
    failure =
      error.code === 'ENOENT'
        ? `no Redis: set ${DISTRIBUTED_ENV.redisUrl} to a Redis ≥ 6.2 server, or install redis-server ` +
          '(Debian/Ubuntu: apt-get install redis-server) for the example to start a throwaway one'
        : `redis-server could not start: ${error.message}`;
  });
  server.once('exit', (code) => {
    failure ??= `redis-server exited with code ${code} before it accepted connections`;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await accepts(port))) {
    if (failure !== undefined) throw new Error(failure);
    if (Date.now() > deadline)
      throw new Error(`redis-server did not listen on port ${port} within ${START_TIMEOUT_MS} ms`);
    await sleep(25);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A TCP port of 127.0.0.1 that is free when asked. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
