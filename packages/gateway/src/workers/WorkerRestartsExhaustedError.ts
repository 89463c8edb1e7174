import { BotError } from '@bot/core';

/**
 * A shard worker thread kept exiting: it was restarted `restarts` times in a row without its
 * shards staying ready for `backoff.stableAfterMs` in between, so its shards stop for good (state `fatal`, their `start*`
 * promise rejects with this error). The `cause` is the last exit. Look at the errors logged before
 * (an exception in the thread, running out of memory); raise `maxRestarts` only once that is fixed.
 */
export class WorkerRestartsExhaustedError extends BotError {
  /** Discriminant. */
  public readonly kind = 'workerRestartsExhausted' as const;

  /**
   * @param thread - index of the worker thread in the strategy (0 for the first)
   * @param restarts - restarts made before giving up
   * @param shardIds - the shards it ran, now stopped
   * @param options - `cause`: the last exit
   */
  public constructor(
    public readonly thread: number,
    public readonly restarts: number,
    public readonly shardIds: readonly number[],
    options?: ErrorOptions,
  ) {
    super(
      `worker thread ${thread} (shards ${shardIds.join(', ')}) exited again after ${restarts} restarts; ` +
        'its shards are stopped: fix what makes the thread exit (see the errors logged before), then start them again',
      options,
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    workerRestartsExhausted: WorkerRestartsExhaustedError;
  }
}
