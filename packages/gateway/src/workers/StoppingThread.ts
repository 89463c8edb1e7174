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
 * deadline. Its other calls are refused with a reply, a refused token it reports is forwarded,
 * and a malformed message is warned of; the rest count no more. A shard started again meanwhile gets a new thread,
 * which may be stopping too before the first has ended: each is served and waited for.
 */
export class StoppingThread {
  /** The threads still stopping: when each has exited, and whether it is asked to `stop` and not yet ended by us. */
  readonly #threads = new Map<Worker, { exited: Promise<void>; closing: boolean; warnedMalformed?: true }>();
  readonly #warn: (text: string) => void;

  /** @param warn - logs a warning about the thread (a handler's `close()` cut off by its thread's own end) */
  public constructor(warn: (text: string) => void) {
    this.#warn = warn;
  }

  /** Whether `worker` is a thread being stopped. */
  public is(worker: Worker): boolean {
    return this.#threads.has(worker);
  }

  /** Resolves once every thread being stopped has exited (at once if none is). */
  public async ended(): Promise<void> {
    await Promise.all([...this.#threads.values()].map((thread) => thread.exited));
  }

  /**
   * Ends `worker`.
   *
   * @param worker - the thread
   * @param ask - whether to ask it to `stop` first (a handler module that may `close()`)
   */
  public stop(worker: Worker, ask: boolean): void {
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.#threads.set(worker, { exited, closing: ask });
    if (!ask) {
      void worker.terminate();
      return;
    }
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
    const ended = setTimeout(() => this.#end(worker), HANDLER_CLOSE_DEADLINE_MS + STOP_MARGIN_MS);
    worker.once('exit', () => clearTimeout(ended));
  }

  /**
   * A thread exited: returns whether it was one being stopped. One that ended by itself while its
   * handler's `close()` ran (a `process.exit()`) is warned of: what the close had left to do was
   * cut off. One that `failed` (an uncaught error) was logged as such already.
   */
  public exited(worker: Worker, code: number, failed: boolean): boolean {
    const thread = this.#threads.get(worker);
    if (thread === undefined) return false;
    this.#threads.delete(worker);
    if (thread.closing && !failed) {
      this.#warn(
        `exited (code ${code}) while its dispatch handler's close() ran, before it had finished: what ` +
          'close() still had to do is cut off; let close() settle instead of ending the thread (process.exit())',
      );
    }
    return true;
  }

  /** Warns once per thread of a malformed message: later ones are ignored as the thread ends anyway. */
  #malformed(worker: Worker, violation: string): void {
    const thread = this.#threads.get(worker);
    if (thread === undefined || thread.warnedMalformed) return;
    thread.warnedMalformed = true;
    this.#warn(
      `posted a malformed message while stopping (${violation}); it and any later one are ignored: ` +
        'a thread posts only what the worker protocol of the gateway defines (does the handler use parentPort?)',
    );
  }

  /** Ends a stopping thread on purpose: its close() is done or out of time. */
  #end(worker: Worker): void {
    const thread = this.#threads.get(worker);
    if (thread !== undefined) thread.closing = false;
    void worker.terminate();
  }

  /**
   * Takes a message of the thread being stopped: its log lines, token calls (and their
   * withdrawals), refused tokens, its client's failures and `stopped`; other calls are refused.
   */
  public receive(
    worker: Worker,
    raw: unknown,
    facts: ThreadFacts,
    parts: {
      logs: ThreadLogLines;
      calls: ServedCalls;
      clientError?: (message: Extract<FromWorker, { type: 'clientError' }>) => void;
    },
  ): void {
    const violation = violationOf(raw, facts);
    if (violation !== undefined) {
      this.#malformed(worker, violation);
      return;
    }
    const message = raw as FromWorker;
    if (message.type === 'stopped') {
      if (message.droppedLogs !== undefined) {
        this.#warn(
          `dropped ${message.droppedLogs} log line(s) while its dispatch handler's close() ran, sent faster ` +
            'than this thread took them: log less in close()',
        );
      }
      this.#end(worker);
    } else if (message.type === 'log') {
      // Acknowledged as a running thread's are, so a close() that logs much is not cut short.
      if (parts.logs.print(worker, message)) {
        worker.postMessage({
          type: 'ack',
          dispatches: 0,
          logs: parts.logs.takeCount(worker),
        } satisfies ToWorker);
      }
    } else if (message.type === 'call' && message.method === 'token') {
      parts.calls.serve(worker, () => this.#threads.has(worker), message);
    } else if (message.type === 'call') {
      // Its shards are closed: an identify or session call of theirs must not run now.
      parts.calls.refuse(
        worker,
        message,
        'is refused: the worker thread is stopping (its shards closed) while its handler closes; ' +
          'a handler closing can send messages (access tokens are still served) but not run shards',
      );
    } else if (message.type === 'invalidateToken') {
      parts.calls.invalidateToken(message.token); // a 401 during close(): the next token must be new
    } else if (message.type === 'cancel') {
      parts.calls.cancel(worker, message.call);
    } else if (message.type === 'clientError') {
      parts.clientError?.(message); // its client's shutdown in close() gave up on events
    }
  }
}
