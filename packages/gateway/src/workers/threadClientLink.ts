import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker } from './messages.js';
import type { ThreadClientError } from './ThreadClientError.js';
import { toWireError } from './wireError.js';

/**
 * What a client on a shard worker thread (`defineThreadClient`) may ask of the thread it runs on,
 * beyond its handler's `dispatch` and `close`: the intents its shards identify with, and a way to
 * report its failures to the main thread.
 */

/**
 * The intent bits the shards of this worker thread identify with: the main thread's client's
 * (its manager's), whatever the thread's own client was built with. `undefined` off a shard
 * worker thread.
 */
export function shardIntentsOfThisThread(): number | undefined {
  if (parentPort === null) return undefined;
  const intents = (workerData as { intents?: unknown } | null)?.intents;
  return Number.isSafeInteger(intents) && (intents as number) >= 0 ? (intents as number) : undefined;
}

/**
 * Posts a failure of this thread's client to the main thread, which hands it to the main client's
 * `error()` as an error of `error.shardId` (logged there when that shard is closed, or none is
 * named). The caller bounds how many it posts.
 *
 * @param error - the failure, as it is to reach the main thread
 * @returns `false` off a shard worker thread (nothing posted)
 */
export function reportToMainThread(error: ThreadClientError): boolean {
  if (parentPort === null) return false;
  const message: FromWorker = {
    type: 'clientError',
    ...(error.shardId === undefined ? {} : { shardId: error.shardId }),
    error: toWireError(error),
  };
  parentPort.postMessage(message);
  return true;
}
