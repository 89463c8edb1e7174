import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ShardRange } from '@bot/gateway';
import { isWorkerMessage, rangeLabel } from './messages.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** How long a worker may take to stop after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * The parent's handle on one worker process (`node --import tsx sharded/worker.ts`): when its
 * shards are ready, which events it reports handling, and how it exited. Every line the worker
 * prints, its logger's and its shutdown messages included, is shown prefixed with
 * `[worker 0–1]`, so the interleaved output of the processes tells who said what.
 */
export class WorkerProcess {
  /** The shards it runs, both ends included. */
  public readonly range: ShardRange;
  /** `0–1`: the range as shown. */
  public readonly label: string;
  /** Resolves once every shard of the worker is READY; rejects if the worker exits first. */
  public readonly ready: Promise<void>;
  /** Resolves with the exit code (`null` when a signal ended it) once the process has exited. */
  public readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;

  /**
   * Starts a worker.
   *
   * @param range - the shards it runs
   * @param total - the bot's shard count
   * @param env - what it needs to reach the platform (`platform.childEnv()`)
   * @param onHandled - called when the worker reports having handled an event on one of its shards
   */
  public constructor(
    range: ShardRange,
    total: number,
    env: Record<string, string>,
    onHandled: (eventId: string, shardId: number, worker: WorkerProcess) => void,
  ) {
    this.range = range;
    this.label = rangeLabel(range);
    // Its own process group: a Ctrl-C in the terminal reaches the parent only, which then stops
    // the workers in order instead of every process racing to shut down at once.
    this.#child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER_SCRIPT, String(range.from), String(range.to), String(total)],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true },
    );
    const prefix = `[worker ${this.label}] `;
    if (this.#child.stdout) forwardLines(this.#child.stdout, process.stdout, prefix);
    if (this.#child.stderr) forwardLines(this.#child.stderr, process.stderr, prefix);
    // 'close', not 'exit': it waits for the output pipes to drain, so no last line is lost.
    this.exited = once(this.#child, 'close').then(([code]) => code as number | null);
    this.ready = new Promise((resolve, reject) => {
      this.#child.on('message', (message) => {
        if (!isWorkerMessage(message)) return;
        if (message.type === 'ready') resolve();
        else onHandled(message.eventId, message.shardId, this);
      });
      this.exited.then(
        (code) => reject(new Error(`worker ${this.label} exited with code ${code} before it was ready`)),
        reject,
      );
    });
    this.ready.catch(() => undefined); // whoever awaits `ready` sees the failure
  }

  /** The worker's process id. */
  public get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Whether `shardId` is one of the worker's shards. */
  public owns(shardId: number): boolean {
    return shardId >= this.range.from && shardId <= this.range.to;
  }

  /**
   * Stops the worker with SIGTERM (it shuts its shards down cleanly), killing it if it takes
   * longer than a few seconds.
   *
   * @returns its exit code
   */
  public async stop(): Promise<number | null> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }
}

/** Copies a worker's output line by line, each line prefixed with the worker's name. */
function forwardLines(from: Readable, to: Writable, prefix: string): void {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${prefix}${line}\n`));
}
