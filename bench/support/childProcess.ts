import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { childEntry } from './plainChildren.js';

/**
 * Benchmarks run the code they measure in a child process of its own: its CPU time, heap and
 * event loop then belong to the contender alone, not to the load generator or to the contender
 * measured before it. This module is both ends of that arrangement: the parent starts a child
 * with a JSON job; the child reports `ready` (optional) and then one result, and exits.
 */

/** How long a profiled child may take to exit and write its profile before it is killed. */
const PROFILE_EXIT_GRACE_MS = 10_000;

type ChildMessage<Result, Ready> =
  { kind: 'ready'; info: Ready } | { kind: 'result'; result: Result } | { kind: 'failed'; message: string };

/** A running child, seen from the parent. */
export interface ChildRun<Result, Ready = undefined> {
  /**
   * Resolves with what the child reports once it is ready (a URL it listens on, say); rejects
   * like `result`.
   */
  readonly ready: Promise<Ready>;
  /** The child's result; rejects when it fails, exits before reporting, or runs out of time. */
  readonly result: Promise<Result>;
  /**
   * Resolves with the milliseconds from spawning the child to its exit: the whole process, as a
   * restart of a bot costs it. Never rejects (a child killed by `stop()` resolves too).
   */
  readonly exited: Promise<number>;
  /**
   * Ends the child if it is still running (by its own handle, never by name). A profiled child
   * is first given a few seconds to exit by itself: V8 writes the profile only on a normal exit.
   */
  stop(): Promise<void>;
}

/** How a child is started. */
export interface ChildOptions {
  /** Extra Node.js flags, e.g. `--expose-gc`; the parent's own flags are kept (bar the `tsx` loader, see plainChildren.ts). */
  nodeFlags?: readonly string[];
  /** Time the child gets to report its result (120 s by default). */
  timeoutMs?: number;
  /** Directory for a V8 CPU profile of the child (`--cpu-prof`); none when undefined. */
  profileDir?: string | undefined;
}

/**
 * Starts `entry` as a child process with `job` as its only argument.
 *
 * @param entry - the child's module; it calls {@link runChild}
 * @param job - JSON-serialisable description of what to measure
 * @param options - Node.js flags and the deadline
 */
export function startChild<Job, Result, Ready = undefined>(
  entry: URL,
  job: Job,
  options: ChildOptions = {},
): ChildRun<Result, Ready> {
  const spawnedAt = performance.now();
  const { file, execArgv } = childEntry(entry);
  const child = fork(file, [JSON.stringify(job)], {
    execArgv: [
      ...execArgv,
      ...(options.nodeFlags ?? []),
      ...(options.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`]),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const name = entry.pathname.split('/').slice(-2).join('/');
  let markReady: (info: Ready) => void = () => undefined;
  const readySignal = new Promise<Ready>((resolve) => (markReady = resolve));
  const result = new Promise<Result>((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} gave no result within ${options.timeoutMs ?? 120_000} ms`));
    }, options.timeoutMs ?? 120_000);
    child.on('message', (message: ChildMessage<Result, Ready>) => {
      if (message.kind === 'ready') {
        markReady(message.info);
      } else if (message.kind === 'result') {
        clearTimeout(deadline);
        resolve(message.result);
      } else {
        clearTimeout(deadline);
        reject(new Error(`${name} failed: ${message.message}`));
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      // After a result this rejection is ignored: a promise settles once.
      reject(new Error(`${name} exited before reporting a result (${signal ?? `code ${code}`})`));
    });
    child.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
  });
  const exited = new Promise<number>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(performance.now() - spawnedAt);
    else child.once('exit', () => resolve(performance.now() - spawnedAt));
  });
  // A child that fails before reporting ready rejects `ready` as well.
  const ready = Promise.race([readySignal, result.then(() => readySignal)]);
  // Awaited by the caller later, or not at all; a failure must not count as unhandled meanwhile.
  result.catch(() => undefined);
  ready.catch(() => undefined);
  return {
    ready,
    result,
    exited,
    stop: async () => {
      const running = (): boolean => child.exitCode === null && child.signalCode === null;
      if (running() && options.profileDir !== undefined) {
        await new Promise<void>((resolve) => {
          const grace = setTimeout(resolve, PROFILE_EXIT_GRACE_MS);
          child.once('exit', () => {
            clearTimeout(grace);
            resolve();
          });
        });
      }
      if (running()) child.kill('SIGKILL');
    },
  };
}

function send(message: ChildMessage<unknown, unknown>, then?: () => void): void {
  if (process.send === undefined) {
    throw new Error('this module is a benchmark child: run it through `pnpm bench`, not directly');
  }
  process.send(message, undefined, {}, () => then?.());
}

/**
 * Tells the parent the child is ready to be measured.
 *
 * @param info - what the parent needs to know (JSON-serialisable), e.g. the URL the child serves
 */
export function reportReady(info?: unknown): void {
  send({ kind: 'ready', info });
}

/**
 * The child's side: reads the job, runs `work`, sends its result (or its failure) and exits.
 *
 * @param work - measures what the job describes and returns the result
 */
export function runChild<Job, Result>(work: (job: Job) => Promise<Result>): void {
  const job = JSON.parse(process.argv[2] ?? 'null') as Job;
  work(job).then(
    (result) => send({ kind: 'result', result }, () => process.exit(0)),
    (error: unknown) =>
      send(
        { kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        () => process.exit(1),
      ),
  );
}
