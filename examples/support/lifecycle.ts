import type { Client } from '@bot/client';
import type { ShardManager } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import type { Platform } from './platform.js';

/**
 * How long an example that has finished (or failed) may take to release what it still holds
 * before it is made to exit.
 */
const EXIT_GRACE_MS = 2_000;

/**
 * Resolves with the first SIGINT or SIGTERM: the moment a long-running example shuts down.
 * Its listeners are removed once it fires, so a second Ctrl-C gets Node's default (exit at once).
 */
export function untilShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A terminal echoes Ctrl-C as "^C" without a line break: what the example prints next
      // (`SIGINT: shutting down`) belongs on a line of its own.
      if (signal === 'SIGINT' && process.stdout.isTTY === true) process.stdout.write('\n');
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * Resolves once every shard of the manager's `start*` call under way has been ready: its `ready`
 * event, which comes once per call.
 *
 * @param manager - a shard manager (`client.shardManager` for a client) whose `start*` call is under way
 * @param running - the promise that call returned: if it settles first (a fatal close, a refused
 *   start), this rejects with its error instead of waiting forever
 */
export function untilShardsReady(manager: ShardManager, running: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const ready = (): void => resolve();
    manager.once('ready', ready);
    running.then(
      () => reject(new Error('the client stopped before its shards were ready')),
      (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
    );
    void running.finally(() => manager.off('ready', ready)).catch(() => undefined);
  });
}

/**
 * Runs an example's main function: a failure is printed (message only, no stack of framework
 * internals) and turns into exit code 1. Finished or failed, the example gets a short grace period
 * to close its sockets, then exits regardless, so a run never hangs a terminal, a CI job or a
 * container stop: a handler the client's shutdown deadline cut off runs on, unwaited, and its
 * timers or requests would otherwise keep the process alive.
 *
 * @param main - the example
 */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => exitAfterGrace(),
    (error: unknown) => {
      console.error(`\nfailed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
      exitAfterGrace();
    },
  );
}

/**
 * Exits with `process.exitCode` once {@link EXIT_GRACE_MS} have passed, unless the process has
 * exited on its own by then (the timer does not hold it).
 */
function exitAfterGrace(): void {
  setTimeout(() => {
    console.error(
      `exiting: work still pending ${EXIT_GRACE_MS} ms after the example ended ` +
        '(a handler the shutdown deadline cut off, or a socket left open)',
    );
    process.exit();
  }, EXIT_GRACE_MS).unref();
}

/** What {@link runClient} does with a built client. */
export interface RunClientOptions {
  /** Starts the shards: `() => client.start()`, `() => client.startShardRange(…)`, … */
  start: () => Promise<void>;
  /**
   * Against the embedded emulator: the scripted exchange to play once the shards are ready.
   * Without one, or without an embedded emulator, the client runs until SIGINT or SIGTERM.
   */
  script?: (emulator: Emulator) => Promise<void>;
}

/**
 * Runs a client the way every gateway example does: start its shards; against the embedded
 * emulator, wait until they are ready and play the script; on a real (or remote) platform, run
 * until SIGINT or SIGTERM. Either way the client is shut down (sessions closed) and the emulator
 * stopped before this resolves.
 *
 * @param platform - where the client connects
 * @param client - the built client
 * @param options - how to start it and what to play against the emulator
 * @throws the start call's error (a fatal close, a refused shard range), or the script's
 */
export async function runClient(
  platform: Platform,
  client: Client,
  options: RunClientOptions,
): Promise<void> {
  const running = options.start();
  // Observed here so a fatal close is never an unhandled rejection; the awaits below report it.
  running.catch(() => undefined);
  try {
    if (platform.emulator && options.script) {
      await untilShardsReady(client.shardManager, running);
      await options.script(platform.emulator);
    } else {
      // Ready or still connecting, a signal ends the run; so does a fatal close (a rejection).
      const signal = await Promise.race([untilShutdownSignal(), running.then(() => undefined)]);
      if (signal) console.log(`${signal}: shutting down`);
    }
  } finally {
    await client.shutdown({ invalidateSessions: true });
    await platform.stop();
  }
  await running;
}
