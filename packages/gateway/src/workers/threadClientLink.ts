import { steadyNow } from '@bot/core';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ThreadInit } from './messages.js';
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
  return onShardThread() ? (workerData as ThreadInit).intents : undefined;
}

/**
 * Whether this is a shard worker thread: one whose `workerData` is a {@link ThreadInit} (its
 * index, intents and batch size), not a thread of the user's own, whose parent would not
 * understand what is posted to it.
 */
function onShardThread(): boolean {
  if (parentPort === null) return false;
  const init = workerData as Partial<Record<keyof ThreadInit, unknown>> | null;
  if (typeof init !== 'object' || init === null) return false;
  const nonNegative = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
  return nonNegative(init.thread) && nonNegative(init.intents) && nonNegative(init.maxBatch);
}

/** Failures a thread posts to the main thread per {@link THREAD_REPORT_WINDOW_MS}, at most. */
export const MAX_THREAD_REPORTS_PER_WINDOW = 20;
/** The window the posted failures are counted over. */
export const THREAD_REPORT_WINDOW_MS = 10_000;

/** This thread's current window: when it started and how many it posted in it. */
const window = { start: Number.NEGATIVE_INFINITY, posted: 0 };

/**
 * Posts a failure of this thread's client to the main thread, which hands it to the main client's
 * `error()` as an error of `error.shardId` (logged there when that shard is closed, or none is
 * named). Bounded: past {@link MAX_THREAD_REPORTS_PER_WINDOW} in {@link THREAD_REPORT_WINDOW_MS}
 * nothing is posted, so a client failing on every event cannot flood the port; a caller that
 * counts what it could not post (as `defineThreadClient` does) keeps within it.
 *
 * @param error - the failure, as it is to reach the main thread
 * @returns `false` when nothing was posted: off a shard worker thread (the main thread or one of
 * the user's own), or past the window's allowance
 */
export function reportToMainThread(error: ThreadClientError): boolean {
  if (parentPort === null || !onShardThread()) return false;
  const now = steadyNow();
  if (now - window.start >= THREAD_REPORT_WINDOW_MS) Object.assign(window, { start: now, posted: 0 });
  if (window.posted >= MAX_THREAD_REPORTS_PER_WINDOW) return false;
  window.posted += 1;
  const message: FromWorker = {
    type: 'clientError',
    ...(error.shardId === undefined ? {} : { shardId: error.shardId }),
    error: toWireError(error),
  };
  parentPort.postMessage(message);
  return true;
}
