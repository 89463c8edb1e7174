import type { ResourceLimits } from 'node:worker_threads';
import {
  messageOf,
  optionalInteger,
  requireDeadlineOrInfinity,
  requireInteger,
  ValidationError,
} from '@bot/core';
import { resolveHandlerModule } from './handlerModule.js';
import { DEFAULT_UNRESPONSIVE_MS, MIN_UNRESPONSIVE_MS } from './ThreadWatchdog.js';

/** Options of `workerThreads`. */
export interface WorkerThreadsOptions {
  /** Worker threads; shard `id` runs on thread `id % workers`. */
  workers: number;
  /**
   * Restarts of a thread in a row before its shards stop for good (5 by default); the count starts
   * over once its shards have stayed ready for the shards' `backoff.stableAfterMs` (60 s by default).
   */
  maxRestarts?: number | undefined;
  /**
   * Back-off before the first restart in milliseconds (1 s by default), doubling with each restart
   * in a row; each wait is drawn at random between half and all of it, so threads that failed
   * together do not restart together.
   */
  restartBaseMs?: number | undefined;
  /** Longest back-off before a restart in milliseconds (30 s by default). */
  restartMaxMs?: number | undefined;
  /** Most events crossing to the main thread in one message (256 by default). */
  maxBatch?: number | undefined;
  /**
   * Events a thread may have sent that the main thread has not taken yet before it stops reading
   * its sockets until half of them are taken (heartbeats go on); bounds the memory between the
   * threads while the main thread is busy (4,096 by default).
   */
  maxUnacked?: number | undefined;
  /**
   * The thread's entry point, when the package's own (the `@bot/gateway/worker` export) cannot be
   * found: an app bundle that inlines `@bot/gateway` must emit that export as an entry of its own
   * and pass its URL here, e.g. `new URL('./shardWorkerMain.js', import.meta.url)`. A `file:` URL
   * that names no file is refused before any thread starts.
   */
  workerScript?: URL | undefined;
  /** `resourceLimits` of each thread (its heap sizes, see `node:worker_threads`); Node's defaults when unset. */
  resourceLimits?: ResourceLimits | undefined;
  /**
   * How long a thread may leave the main thread's question unanswered (one is asked every quarter
   * of this) before it counts as hung, say by a handler in a synchronous loop: it is stopped and
   * restarted like a thread that exited, and its shards resume: within about 1.5 times this of
   * hanging. A thread that has not answered yet (still loading its script and handler module)
   * is allowed at least 10 s: one that hangs while it loads (a handler module's top-level loop) is
   * restarted too, and once `maxRestarts` are spent its shards' `start()` rejects with a
   * `WorkerRestartsExhaustedError` caused by a `ThreadUnresponsiveError` naming the module. 60 s by
   * default, at least 1 s; `Infinity` for never.
   */
  unresponsiveMs?: number | undefined;
  /**
   * A module whose default export (`defineThreadHandler(…)`) handles the dispatches on the worker
   * threads themselves, so handlers use every core: each thread loads it once, before its shards
   * start, and hands it its shards' dispatches, which then never cross to the main thread (the
   * manager's `dispatch` event does not fire; state, heartbeats, closes and errors still do).
   * `maxUnacked` then also bounds the dispatches whose handling is still running on a thread. A
   * `.js` (`.mjs`, `.cjs`) URL that names no file loads the `.ts` (`.mts`, `.cts`) beside it, so
   * the URL a TypeScript bot writes works under tsx and once compiled; one that names neither is
   * refused here.
   */
  handler?: URL | undefined;
  /** Plain data each thread's handler setup is given as `context.data` (a structured clone per thread). */
  handlerData?: unknown;
  /**
   * How long one handling on a thread may go unsettled before it counts as done, reported as an
   * error, so that a promise that never settles cannot hold its shard's resume point, and then the
   * thread's reading, for good (120 s by default, twice a client's own handler deadline so that
   * one fires first; `Infinity` for none).
   */
  handlerTimeoutMs?: number | undefined;
}

/** Default of {@link WorkerThreadsOptions.handlerTimeoutMs}. */
export const DEFAULT_THREAD_HANDLER_TIMEOUT_MS = 120_000;

/** Default of {@link WorkerThreadsOptions.maxRestarts}. */
const DEFAULT_MAX_RESTARTS = 5;
/** Default of {@link WorkerThreadsOptions.restartBaseMs}. */
const DEFAULT_RESTART_BASE_MS = 1_000;
/** Default of {@link WorkerThreadsOptions.restartMaxMs}. */
const DEFAULT_RESTART_MAX_MS = 30_000;
/** Default of {@link WorkerThreadsOptions.maxBatch}. */
const DEFAULT_MAX_BATCH = 256;
/** Default of {@link WorkerThreadsOptions.maxUnacked}. */
const DEFAULT_MAX_UNACKED = 4_096;

/** Options without a default. */
type OptionalKey = 'workerScript' | 'resourceLimits' | 'handler' | 'handlerData' | 'handlerTimeoutMs';

/**
 * Checks `handler` and `handlerData` before any thread starts: a thread would otherwise fail to
 * load the module, or the thread could not even be started with the data.
 *
 * @returns the handler module the threads load ({@link resolveHandlerModule}), if one is given
 */
function checkHandler(handler: unknown, data: unknown): URL | undefined {
  let module: URL | undefined;
  if (handler !== undefined) {
    if (!(handler instanceof URL) || handler.protocol !== 'file:') {
      throw new ValidationError('handler', 'must be a file: URL (new URL(…, import.meta.url))');
    }
    module = resolveHandlerModule(handler);
  }
  if (data === undefined) return module;
  if (handler === undefined) throw new ValidationError('handlerData', 'is given without a handler module');
  try {
    structuredClone(data);
  } catch (error) {
    throw new ValidationError(
      'handlerData',
      `must be plain data a structured clone carries to each thread (${messageOf(error)})`,
    );
  }
  return module;
}

/** {@link WorkerThreadsOptions} checked, with every default applied. */
export type ResolvedWorkerThreadsOptions = {
  [K in Exclude<keyof WorkerThreadsOptions, OptionalKey>]-?: Exclude<WorkerThreadsOptions[K], undefined>;
} & Pick<WorkerThreadsOptions, OptionalKey>;

/**
 * Checks the options of `workerThreads` and applies the defaults.
 *
 * @param options - thread count, restarts, batching, handler module
 * @throws {@link ValidationError} naming the first wrong option
 */
export function resolveWorkerThreadsOptions(options: WorkerThreadsOptions): ResolvedWorkerThreadsOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('workerThreads', 'takes { workers: <thread count> }');
  }
  requireInteger(options.workers, 'workers', 1, 256);
  optionalInteger(options.maxRestarts, 'maxRestarts', 0);
  optionalInteger(options.restartBaseMs, 'restartBaseMs', 1);
  optionalInteger(options.restartMaxMs, 'restartMaxMs', 1);
  optionalInteger(options.maxBatch, 'maxBatch', 1);
  optionalInteger(options.maxUnacked, 'maxUnacked', 2);
  if (options.workerScript !== undefined && !(options.workerScript instanceof URL)) {
    throw new ValidationError('workerScript', 'must be a URL (new URL(…, import.meta.url))');
  }
  const handler = checkHandler(options.handler, options.handlerData);
  if (options.unresponsiveMs !== undefined) {
    requireDeadlineOrInfinity(options.unresponsiveMs, 'unresponsiveMs');
    if (options.unresponsiveMs < MIN_UNRESPONSIVE_MS)
      throw new ValidationError('unresponsiveMs', `must be at least ${MIN_UNRESPONSIVE_MS} ms`);
  }
  if (options.handlerTimeoutMs !== undefined) {
    requireDeadlineOrInfinity(options.handlerTimeoutMs, 'handlerTimeoutMs');
    if (options.handler === undefined) {
      throw new ValidationError('handlerTimeoutMs', 'is given without a handler module');
    }
  }
  // Each default on its own: a spread of the options would let an explicit `undefined` replace it.
  return {
    workers: options.workers,
    maxRestarts: options.maxRestarts ?? DEFAULT_MAX_RESTARTS,
    restartBaseMs: options.restartBaseMs ?? DEFAULT_RESTART_BASE_MS,
    restartMaxMs: options.restartMaxMs ?? DEFAULT_RESTART_MAX_MS,
    maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH,
    maxUnacked: options.maxUnacked ?? DEFAULT_MAX_UNACKED,
    unresponsiveMs: options.unresponsiveMs ?? DEFAULT_UNRESPONSIVE_MS,
    workerScript: options.workerScript,
    resourceLimits: options.resourceLimits,
    handler,
    handlerData: options.handlerData,
    handlerTimeoutMs: options.handlerTimeoutMs,
  };
}
