import type { Worker } from 'node:worker_threads';
import { ValidationError } from '@bot/core';
import type { ShardHandle } from '../manager/ShardHandle.js';
import type { ShardManagerOptions } from '../manager/ShardManagerOptions.js';
import type { ShardContext, ShardStrategy } from '../manager/ShardStrategy.js';
import { DEFAULT_CLOSE_GRACE_MS, DEFAULT_SESSION_STORE_MS, intentBits } from '../shard/ShardOptions.js';
import { staleHandlerWarning } from './handlerModule.js';
import type { WorkerInit } from './messages.js';
import { ShardWorker, type WorkerServices } from './ShardWorker.js';
import { workerBehaviourOf } from './workerBehaviour.js';
import {
  DEFAULT_THREAD_HANDLER_TIMEOUT_MS,
  resolveWorkerThreadsOptions,
  type ResolvedWorkerThreadsOptions,
  type WorkerThreadsOptions,
} from './WorkerThreadsOptions.js';
import { requireWorkerFile, shardWorkerScript } from './workerScript.js';
import { WorkerShard } from './WorkerShard.js';

export { DEFAULT_THREAD_HANDLER_TIMEOUT_MS, type WorkerThreadsOptions } from './WorkerThreadsOptions.js';

/** The strategy was given to a second manager: its threads run with the first one's options, store and logger. */
function anotherManager(): ValidationError {
  return new ValidationError(
    'strategy',
    'already runs the shards of another ShardManager: give each manager its own workerThreads(…)',
  );
}

/** How much longer than the shard a thread waits for a store call before it withdraws it. */
const STORE_CALL_MARGIN_MS = 1_000;

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
  readonly #options: ResolvedWorkerThreadsOptions;
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
    this.#options = resolveWorkerThreadsOptions(options);
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
    const { id, total, gatewayUrl, options, logger, sessionStartTotal, sessionStore } = context;
    const maxQueued = options.sendLimit?.maxQueued;
    const shard = new WorkerShard(
      id,
      total,
      gatewayUrl,
      thread,
      closeGraceMs,
      maxQueued,
      logger,
      sessionStartTotal,
      sessionStore,
    );
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
