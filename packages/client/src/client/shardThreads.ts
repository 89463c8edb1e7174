import { ValidationError } from '@bot/core';
import { workerThreads, type WorkerThreadsOptions, type WorkerThreadsStrategy } from '@bot/gateway';
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
