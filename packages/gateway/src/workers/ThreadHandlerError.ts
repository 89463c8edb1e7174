import { BotError, messageOf } from '@bot/core';

/**
 * A worker thread could not set up its dispatch handler: the module given as
 * `workerThreads({ handler })` failed to load, has no function as its default export, or that
 * function threw. The thread's shards stop for good (state `fatal`; their `start*` promise rejects
 * with this error), as a restart would fail the same way. The `cause` is the thread's error.
 */
export class ThreadHandlerError extends BotError {
  /** Discriminant. */
  public readonly kind = 'threadHandler' as const;

  /**
   * @param thread - index of the worker thread in the strategy
   * @param module - the handler module's URL
   * @param shardIds - the shards it was to run, now stopped
   * @param options - `cause`: what failed on the thread
   */
  public constructor(
    public readonly thread: number,
    public readonly module: string,
    public readonly shardIds: readonly number[],
    options?: ErrorOptions,
  ) {
    const cause = messageOf(options?.cause);
    super(
      `worker thread ${thread} could not set up its dispatch handler from ${module}: ${cause}; ` +
        `its shards (${shardIds.join(', ')}) are stopped: fix what the cause names (the module must ` +
        'load on a thread of its own, export defineThreadHandler(…) or defineThreadClient(…) as its ' +
        'default, and its setup ' +
        'must finish within 30 s), then start them again',
      options,
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    threadHandler: ThreadHandlerError;
  }
}
