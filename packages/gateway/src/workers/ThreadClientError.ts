import { BotError } from '@bot/core';

/** What a {@link ThreadClientError} tells of the failure a worker thread's client reported. */
export interface ReportedFailure {
  /** The original error's `name` (`HandlerError`, `HandlerTimeoutError`, `AbandonedEventsError`, …). */
  readonly name: string;
  /** The original error's `kind` (`handler`, `handlerTimeout`, `abandoned`, …). */
  readonly kind: string;
  /** The original error's message. */
  readonly message: string;
}

/**
 * A failure the client of a worker thread (`defineThreadClient`) reported while it has no
 * `error()` hook of its own: a handler that threw or ran past its deadline, events a shutdown gave
 * up on. It reaches the main thread's client, whose `error()` receives it. The original's class
 * cannot cross threads: its name, kind and message are kept here (`reportedName`, `reportedKind`,
 * `reportedMessage`), and its stack and causes as `cause`. Give the thread's client an `error()`
 * hook to receive the original itself, on the thread.
 */
export class ThreadClientError extends BotError {
  /** Discriminant. */
  public readonly kind = 'threadClient' as const;
  /** The original error's `name`. */
  public readonly reportedName: string;
  /** The original error's `kind`. */
  public readonly reportedKind: string;
  /** The original error's message. */
  public readonly reportedMessage: string;

  /**
   * @param thread - index of the worker thread whose client reported it
   * @param reported - the original error's name, kind and message
   * @param shardId - the shard whose event it concerns, when it concerns one
   * @param options - `cause`: the original (rebuilt, on the main thread)
   */
  public constructor(
    public readonly thread: number,
    reported: ReportedFailure,
    public readonly shardId?: number,
    options?: ErrorOptions,
  ) {
    const where = shardId === undefined ? '' : ` (shard ${shardId})`;
    super(
      `worker thread ${thread}'s client reported ${reported.name} [${reported.kind}]${where}: ` +
        `${reported.message} (its client has no error() hook of its own, so it is reported here)`,
      options,
    );
    this.reportedName = reported.name;
    this.reportedKind = reported.kind;
    this.reportedMessage = reported.message;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    threadClient: ThreadClientError;
  }
}
