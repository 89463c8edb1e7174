import type { Worker } from 'node:worker_threads';
import type { ToWorker } from './messages.js';
import { HANDLER_CLOSE_DEADLINE_MS } from './ThreadHandler.js';

/** How much longer than a handler's `close()` may take a stopping thread gets before it is ended. */
const STOP_MARGIN_MS = 1_000;

/**
 * Ends a thread whose last shard is closed. Without a handler module, at once; with one, the
 * thread is asked to `stop` first, so its handler may finish what it keeps (a client's shutdown),
 * and is ended when it answers `stopped` (see `ShardWorker`) or after the handler's deadline.
 *
 * @param worker - the thread
 * @param handlerModule - whether it runs a handler module
 */
export function endThread(worker: Worker, handlerModule: boolean): void {
  if (!handlerModule) {
    void worker.terminate();
    return;
  }
  worker.postMessage({ type: 'stop' } satisfies ToWorker);
  const ended = setTimeout(() => void worker.terminate(), HANDLER_CLOSE_DEADLINE_MS + STOP_MARGIN_MS);
  worker.once('exit', () => clearTimeout(ended));
}
