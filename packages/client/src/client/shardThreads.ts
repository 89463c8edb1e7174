import { DISPATCH_EVENTS, ValidationError } from '@bot/core';
import {
  WorkerThreadsStrategy,
  workerThreads,
  type ShardStrategy,
  type WorkerThreadsOptions,
} from '@bot/gateway';
import { LIFECYCLE_METHODS } from '../events/checkHandlers.js';
import type { EventHandler, RawEventHandler } from '../events/EventHandler.js';
import type { GatewayOptions } from './GatewayOptions.js';

/** Options of `ClientBuilder.workers`: everything of `workerThreads` but the thread count. */
export type ShardThreadsOptions = Omit<WorkerThreadsOptions, 'workers'>;

/**
 * The strategy `ClientBuilder.workers(count, options)` sets: `count` worker threads, checked
 * with the option names the caller wrote (`workers`, `workers.maxRestarts`, …).
 *
 * @param count - worker threads
 * @param options - restarts and batching
 * @throws {@link ValidationError} naming the wrong argument
 */
export function shardThreads(count: number, options: ShardThreadsOptions = {}): WorkerThreadsStrategy {
  try {
    return workerThreads({ ...options, workers: count });
  } catch (error) {
    if (!(error instanceof ValidationError) || error.field === 'workers') throw error;
    throw new ValidationError(`workers.${error.field}`, error.message.slice(error.field.length + 1));
  }
}

/**
 * The gateway options with the worker threads of `ClientBuilder.workers`, if set.
 *
 * @param gateway - what `ClientBuilder.gateway` set
 * @param threads - what `ClientBuilder.workers` set
 * @throws {@link ValidationError} when both name a strategy
 */
export function withShardThreads(
  gateway: GatewayOptions,
  threads: WorkerThreadsStrategy | undefined,
): GatewayOptions {
  if (threads === undefined) return gateway;
  if (gateway.strategy !== undefined) {
    throw new ValidationError(
      'workers',
      'conflicts with gateway({ strategy }): choose where shards run once, with workers(n) or with a strategy',
    );
  }
  return { ...gateway, strategy: threads };
}

/**
 * Whether a sharding strategy puts the handlers on the worker threads: a `workerThreads` strategy
 * with a handler module, set by `ClientBuilder.workers(count, { handler })` or given to
 * `ClientBuilder.gateway({ strategy })`. The main thread then gets no dispatch.
 *
 * @param strategy - where the shards run (`undefined`: in this thread)
 */
export function dispatchesOnThreads(strategy: ShardStrategy | undefined): boolean {
  return strategy instanceof WorkerThreadsStrategy && strategy.handlesDispatches;
}

const EVENT_METHODS: readonly string[] = Object.values(DISPATCH_EVENTS).map((event) => event.method);
const HOOKS = Object.keys(LIFECYCLE_METHODS).join(', ');
const NO_EVENT_HERE =
  'is registered on the main thread, where no event arrives with handlers on the worker threads';

/**
 * Checks the handlers of a main thread whose events are handled on the worker threads: they may
 * have the lifecycle hooks (`error`, `shardStatus`, `shardsReady`, …), which fire there, but no
 * event method and no raw handler, which would never be called.
 *
 * @param handlers - typed handlers, in registration order
 * @param rawHandlers - raw handlers, in registration order
 * @throws {@link ValidationError} naming the first handler and event method that would never run
 */
export function checkMainThreadHandlers(
  handlers: readonly EventHandler[],
  rawHandlers: readonly RawEventHandler[],
): void {
  handlers.forEach((handler, index) => {
    const method = EVENT_METHODS.find((name) => (handler as Record<string, unknown>)[name] !== undefined);
    if (method !== undefined) {
      throw new ValidationError(
        `eventHandler[${index}].${method}`,
        `${NO_EVENT_HERE}: register it in the handler module (defineThreadClient); ` +
          `the main thread's handlers may have only the hooks ${HOOKS}`,
      );
    }
  });
  if (rawHandlers.length > 0) {
    throw new ValidationError(
      'rawEventHandler[0]',
      `${NO_EVENT_HERE}: register it in the handler module (defineThreadClient)`,
    );
  }
}
