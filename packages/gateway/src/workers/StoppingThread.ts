import type { Worker } from 'node:worker_threads';
import type { ThreadFacts } from './fromWorkerCheck.js';
import { violationOf } from './fromWorkerCheck.js';
import type { FromWorker, ToWorker } from './messages.js';
import type { ServedCalls } from './ServedCalls.js';
import { HANDLER_CLOSE_DEADLINE_MS } from './ThreadHandler.js';
import type { ThreadLogLines } from './ThreadLogLines.js';

/** How much longer than a handler's `close()` may take a stopping thread gets before it is ended. */
const STOP_MARGIN_MS = 1_000;

/**
 * The threads of a `ShardWorker` being ended on purpose (its last shard closed, or its handler
 * module failed). Without a handler module one is ended at once; with one it is asked to `stop`
 * first, so the handler may finish what it keeps (a client's shutdown) while its log lines and
 * token calls are still served, and is ended when it answers `stopped` or after the handler's
 * deadline. Its other messages count no more. A shard started again meanwhile gets a new thread,
 * which may be stopping too before the first has ended: each is served and waited for.
 */
export class StoppingThread {
  /** The threads still stopping, each with when it has exited. */
  readonly #threads = new Map<Worker, Promise<void>>();

  /** Whether `worker` is a thread being stopped. */
  public is(worker: Worker): boolean {
    return this.#threads.has(worker);
  }

  /** Resolves once every thread being stopped has exited (at once if none is). */
  public async ended(): Promise<void> {
    await Promise.all(this.#threads.values());
  }

  /**
   * Ends `worker`.
   *
   * @param worker - the thread
   * @param ask - whether to ask it to `stop` first (a handler module that may `close()`)
   */
  public stop(worker: Worker, ask: boolean): void {
    this.#threads.set(worker, new Promise((resolve) => worker.once('exit', () => resolve())));
    if (!ask) {
      void worker.terminate();
      return;
    }
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
    const ended = setTimeout(() => void worker.terminate(), HANDLER_CLOSE_DEADLINE_MS + STOP_MARGIN_MS);
    worker.once('exit', () => clearTimeout(ended));
  }

  /** A thread exited: returns whether it was one being stopped. */
  public exited(worker: Worker): boolean {
    return this.#threads.delete(worker);
  }

  /** Takes a message of the thread being stopped: its log lines, token calls and `stopped`. */
  public receive(
    worker: Worker,
    raw: unknown,
    facts: ThreadFacts,
    parts: { logs: ThreadLogLines; calls: ServedCalls },
  ): void {
    if (violationOf(raw, facts) !== undefined) return;
    const message = raw as FromWorker;
    if (message.type === 'stopped') void worker.terminate();
    else if (message.type === 'log') parts.logs.print(message);
    else if (message.type === 'call' && message.method === 'token') {
      parts.calls.serve(worker, () => this.#threads.has(worker), message);
    }
  }
}
