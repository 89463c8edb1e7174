import type { ResourceLimits, Worker } from 'node:worker_threads';
import {
  messageOf,
  optionalInteger,
  requireDeadlineOrInfinity,
  requireInteger,
  ValidationError,
} from '@bot/core';
import type { ShardHandle } from '../manager/ShardHandle.js';
import type { ShardManagerOptions } from '../manager/ShardManagerOptions.js';
import type { ShardContext, ShardStrategy } from '../manager/ShardStrategy.js';
import { DEFAULT_CLOSE_GRACE_MS, DEFAULT_SESSION_STORE_MS, intentBits } from '../shard/ShardOptions.js';
import { resolveHandlerModule, staleHandlerWarning } from './handlerModule.js';
import type { WorkerInit } from './messages.js';
import { ShardWorker, type WorkerServices } from './ShardWorker.js';
import { DEFAULT_UNRESPONSIVE_MS, MIN_UNRESPONSIVE_MS } from './ThreadWatchdog.js';
import { workerBehaviourOf } from './workerBehaviour.js';
import { requireWorkerFile, shardWorkerScript } from './workerScript.js';
import { WorkerShard } from './WorkerShard.js';

/** The strategy was given to a second manager: its threads run with the first one's options, store and logger. */
function anotherManager(): ValidationError {
  return new ValidationError(
    'strategy',
    'already runs the shards of another ShardManager: give each manager its own workerThreads(…)',
  );
}

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

/** How much longer than the shard a thread waits for a store call before it withdraws it. */
const STORE_CALL_MARGIN_MS = 1_000;

/** Options of {@link workerThreads}. */
export interface WorkerThreadsOptions {
  /** Worker threads; shard `id` runs on thread `id % workers`. */
  workers: number;
  /**
   * Restarts of a thread in a row before its shards stop for good (5 by default); the count starts
   * over once its shards have stayed ready for the shards' `backoff.stableAfterMs` (60 s by default).
   */
  maxRestarts?: number;
  /** Back-off before the first restart in milliseconds, doubling each time (1 s by default). */
  restartBaseMs?: number;
  /** Longest back-off before a restart in milliseconds (30 s by default). */
  restartMaxMs?: number;
  /** Most events crossing to the main thread in one message (256 by default). */
  maxBatch?: number;
  /**
   * Events a thread may have sent that the main thread has not taken yet before it stops reading
   * its sockets until half of them are taken (heartbeats go on); bounds the memory between the
   * threads while the main thread is busy (4,096 by default).
   */
  maxUnacked?: number;
  /**
   * The thread's entry point, when the package's own (the `@bot/gateway/worker` export) cannot be
   * found: an app bundle that inlines `@bot/gateway` must emit that export as an entry of its own
   * and pass its URL here, e.g. `new URL('./shardWorkerMain.js', import.meta.url)`. A `file:` URL
   * that names no file is refused before any thread starts.
   */
  workerScript?: URL;
  /** `resourceLimits` of each thread (its heap sizes, see `node:worker_threads`); Node's defaults when unset. */
  resourceLimits?: ResourceLimits;
  /**
   * How long a thread may answer nothing (the main thread asks it every quarter of this) before
   * it counts as hung, say by a handler in a synchronous loop: it is stopped and restarted like a
   * thread that exited, and its shards resume. Counted from the thread's first answer, so a slow
   * start is not judged. 60 s by default, at least 1 s; `Infinity` for never.
   */
  unresponsiveMs?: number;
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
  handler?: URL;
  /** Plain data each thread's handler setup is given as `context.data` (a structured clone per thread). */
  handlerData?: unknown;
  /**
   * How long one handling on a thread may go unsettled before it counts as done, reported as an
   * error, so that a promise that never settles cannot hold its shard's resume point, and then the
   * thread's reading, for good (120 s by default, twice a client's own handler deadline so that
   * one fires first; `Infinity` for none).
   */
  handlerTimeoutMs?: number;
}

/** Default of {@link WorkerThreadsOptions.handlerTimeoutMs}. */
export const DEFAULT_THREAD_HANDLER_TIMEOUT_MS = 120_000;

/** One thread of a {@link WorkerThreadsStrategy}, for diagnostics. */
export interface WorkerThreadInfo {
  /** Index of the thread (shard `id` runs on `id % workers`). */
  index: number;
  /** The running thread; `undefined` while it is being restarted or before it has shards. */
  thread: Worker | undefined;
  /** The shards it runs. */
  shardIds: number[];
  /** Restarts in a row so far. */
  restarts: number;
}

/**
 * Runs a manager's shards on worker threads: the threads own the sockets, heartbeats, parsing and
 * resumes, so a handler that keeps the main thread busy delays no heartbeat; the main thread
 * keeps the identify queue (one pacing authority), the session store and the handlers. Events
 * cross in batches. With a `handler` module, the dispatches are handled on the threads instead,
 * and handlers run on as many cores as there are threads. A thread that exits unasked is
 * restarted and its shards resume. Use one strategy per manager.
 *
 * ```ts
 * const manager = new ShardManager({ ...options, strategy: workerThreads({ workers: 2 }) });
 * ```
 */
export class WorkerThreadsStrategy implements ShardStrategy {
  /** @inheritdoc */
  public readonly name: string;
  readonly #options: Required<Omit<WorkerThreadsOptions, OptionalKey>> &
    Pick<WorkerThreadsOptions, OptionalKey>;
  readonly #threads: (ShardWorker | undefined)[];
  #services: WorkerServices | undefined;
  #init: WorkerInit | undefined;
  /** The options of the manager that was built with the strategy. */
  #checked: ShardManagerOptions | undefined;
  /** The manager the strategy runs the shards of (its options), once bound. */
  #boundTo: Pick<ShardContext, 'options' | 'sessionStore' | 'logger'> | undefined;

  /**
   * @param options - thread count, restarts and batching
   * @throws {@link ValidationError} naming the first wrong option
   */
  public constructor(options: WorkerThreadsOptions) {
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
    this.#options = {
      maxRestarts: 5,
      restartBaseMs: 1_000,
      restartMaxMs: 30_000,
      maxBatch: 256,
      maxUnacked: 4_096,
      unresponsiveMs: DEFAULT_UNRESPONSIVE_MS,
      ...options,
      ...(handler !== undefined && { handler }),
    };
    this.#threads = Array.from({ length: options.workers }, () => undefined);
    this.name = `${options.workers} worker thread${options.workers === 1 ? '' : 's'}`;
  }

  /**
   * Whether the threads handle the dispatches themselves (a `handler` module): the manager's
   * `dispatch` event, and so a client's handlers on the main thread, then get none.
   */
  public get handlesDispatches(): boolean {
    return this.#options.handler !== undefined;
  }

  /** @inheritdoc */
  public async ended(): Promise<void> {
    await Promise.all(this.#threads.map((thread) => thread?.ended()));
  }

  /** The threads, for diagnostics (and to stop one in a test of restarts). */
  public threads(): WorkerThreadInfo[] {
    return this.#threads.flatMap((each) =>
      each === undefined
        ? []
        : [{ index: each.index, thread: each.thread, shardIds: each.shardIds, restarts: each.restarts }],
    );
  }

  /** @inheritdoc */
  public check(options: ShardManagerOptions): void {
    workerBehaviourOf(options);
    // Refused when the second manager is built, before it starts anything.
    if (this.#checked !== undefined && this.#checked !== options) throw anotherManager();
    this.#checked = options;
  }

  /** @inheritdoc */
  public create(context: ShardContext): ShardHandle {
    const init = this.#bind(context);
    const thread = this.#threadOf(context.id, init);
    const closeGraceMs = context.options.timeouts?.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    const { id, total, gatewayUrl, options } = context;
    const shard = new WorkerShard(id, total, gatewayUrl, thread, closeGraceMs, options.sendLimit?.maxQueued);
    // The stand-in emits each dispatch of a crossed batch; the manager's path takes it from there.
    shard.on('dispatch', context.onDispatch);
    thread.attach(shard);
    return shard;
  }

  /** Binds the strategy to its manager's queue, store, tokens and logger; returns what threads start with. */
  #bind({ identifyQueue, sessionStore, logger, options }: ShardContext): WorkerInit {
    const bound = this.#boundTo;
    // Threads run with one manager's options, store and logger: another manager's shards would
    // run with the wrong ones (the identify queue may change between one manager's start calls).
    if (
      bound !== undefined &&
      (bound.options !== options || bound.sessionStore !== sessionStore || bound.logger !== logger)
    ) {
      throw anotherManager();
    }
    this.#boundTo = { options, sessionStore, logger };
    this.#services = { identifyQueue, sessionStore, logger, tokens: options.tokens };
    const timeouts = options.timeouts ?? {};
    // Told once, as the first threads start: an edit of the handler's source since the build would not run.
    const stale =
      this.#init === undefined && this.#options.handler && staleHandlerWarning(this.#options.handler);
    if (stale) logger.warn(stale);
    this.#init ??= {
      behaviour: workerBehaviourOf(options),
      intents: intentBits(options.intents),
      logLevel: logger.settings.minLevel,
      maxBatch: this.#options.maxBatch,
      maxUnacked: this.#options.maxUnacked,
      durableSeq: typeof sessionStore.durableSeq === 'function',
      // A shard gives up on a store call after sessionStoreMs, or its close's grace at close.
      storeCallMs:
        Math.max(
          timeouts.sessionStoreMs ?? DEFAULT_SESSION_STORE_MS,
          timeouts.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS,
        ) + STORE_CALL_MARGIN_MS,
      handlerTimeoutMs: this.#options.handlerTimeoutMs ?? DEFAULT_THREAD_HANDLER_TIMEOUT_MS,
      ...(this.#options.handler !== undefined && {
        handler: { module: this.#options.handler.href, data: this.#options.handlerData },
      }),
    };
    return this.#init;
  }

  #threadOf(id: number, init: WorkerInit): ShardWorker {
    const index = id % this.#threads.length;
    let thread = this.#threads[index];
    if (thread === undefined) {
      const { maxRestarts, restartBaseMs: baseMs, restartMaxMs: maxMs, unresponsiveMs } = this.#options;
      const services = (): WorkerServices => {
        if (this.#services === undefined) throw new Error('a thread runs before its strategy is bound');
        return this.#services;
      };
      const { workerScript, resourceLimits } = this.#options;
      // Checked before the thread starts: a missing entry point would fail every restart alike.
      const script =
        workerScript === undefined
          ? shardWorkerScript()
          : requireWorkerFile({ entry: workerScript, eval: false });
      const policy = { maxRestarts, baseMs, maxMs, resourceLimits, unresponsiveMs };
      thread = new ShardWorker(index, script, init, services, policy);
      this.#threads[index] = thread;
    }
    return thread;
  }
}

/**
 * Runs a manager's shards on `workers` worker threads (see {@link WorkerThreadsStrategy}).
 *
 * @param options - `{ workers }`, and optionally restarts and batching
 * @throws {@link ValidationError} naming the first wrong option
 */
export function workerThreads(options: WorkerThreadsOptions): WorkerThreadsStrategy {
  return new WorkerThreadsStrategy(options);
}
