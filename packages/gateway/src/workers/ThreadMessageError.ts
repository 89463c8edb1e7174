import { BotError } from '@bot/core';

/**
 * A worker thread posted a message the main thread refuses: not of the gateway's worker protocol,
 * or with a field of the wrong type or out of range (a state report whose session id is not text,
 * a close event with a negative delay, an error whose causes go on without end). The main thread
 * acts on none of it: the thread is stopped and restarted as one that exited, and its shards
 * resume on the new thread. It is the `cause` of the `WorkerRestartsExhaustedError` its shards
 * stop with when it keeps happening. The thread runs the bot's own code (its handler module), which
 * may post on `parentPort` itself: the usual cause.
 */
export class ThreadMessageError extends BotError {
  /** Discriminant. */
  public readonly kind = 'threadMessage' as const;

  /**
   * @param thread - index of the worker thread in the strategy
   * @param messageType - the `type` of the message refused, as the thread gave it
   * @param problem - what is wrong with it
   */
  public constructor(
    public readonly thread: number,
    public readonly messageType: string,
    public readonly problem: string,
  ) {
    super(
      `worker thread ${thread} posted a malformed '${messageType}' message (${problem}) and is stopped; ` +
        'its shards resume on a new thread: only the gateway posts on the parentPort of a shard thread, so ' +
        'if code of the bot on the thread (its handler module) posts there, give it a MessageChannel of its own',
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    threadMessage: ThreadMessageError;
  }
}
