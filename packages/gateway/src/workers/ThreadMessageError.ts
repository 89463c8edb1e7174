import { BotError } from '@bot/core';

/** What the main thread knows of a refused message beyond its type and problem. */
export interface RefusedMessageContext {
  /** The thread's handler module (`workerThreads({ handler })`), if it has one. */
  module?: string | undefined;
  /** The shard the refused message was about, when it named one the thread runs. */
  shardId?: number | undefined;
  /** Whether its type is one of the gateway's worker protocol (only its fields were wrong). */
  knownType?: boolean;
}

/** Where to look for what posted the message, by what runs on the thread and what was refused. */
function advice({ module, knownType }: RefusedMessageContext): string {
  const otherScript =
    'a worker script of another version of the package (workerThreads({ workerScript })) posts ' +
    'messages this one does not take: use the one the package ships';
  if (module === undefined) {
    return (
      'the thread runs no code of the bot except modules preloaded on every thread (--import, ' +
      `--require), which may post on its parentPort (give them a MessageChannel of their own); or ${otherScript}`
    );
  }
  const ownChannel = `if the handler module ${module} posts on parentPort, give it a MessageChannel of its own`;
  return knownType === true
    ? `only the gateway posts on the parentPort of a shard thread: ${ownChannel}; or ${otherScript}`
    : `only the gateway posts on the parentPort of a shard thread: ${ownChannel}`;
}

/**
 * A worker thread posted a message the main thread refuses: not of the gateway's worker protocol,
 * or with a field of the wrong type or out of range (a state report whose session id is not text,
 * a close event with a negative delay, an error whose causes go on without end). The main thread
 * acts on none of it, nor on what the thread posts after: the thread is stopped and handled as
 * one that exited, so its shards resume on a new thread while restarts remain. It is the `cause`
 * of the `WorkerRestartsExhaustedError` its shards stop with when it keeps happening. The message
 * says where to look: the thread's handler module posting on `parentPort` itself, modules preloaded
 * on every thread, or a worker script of another version.
 */
export class ThreadMessageError extends BotError {
  /** Discriminant. */
  public readonly kind = 'threadMessage' as const;
  /** The thread's handler module, if it has one. */
  public readonly module: string | undefined;
  /** The shard the refused message was about, if it named one the thread runs. */
  public readonly shardId: number | undefined;

  /**
   * @param thread - index of the worker thread in the strategy
   * @param messageType - the `type` of the message refused, as the thread gave it
   * @param problem - what is wrong with it
   * @param context - the thread's handler module, the shard the message was about, and whether
   *   its type is one of the protocol
   */
  public constructor(
    public readonly thread: number,
    public readonly messageType: string,
    public readonly problem: string,
    context: RefusedMessageContext = {},
  ) {
    const about = context.shardId === undefined ? '' : ` about shard ${context.shardId}`;
    super(
      `worker thread ${thread} posted a malformed '${messageType}' message${about} (${problem}) and ` +
        'was stopped as a thread that exited (its shards resume on a new thread while restarts ' +
        `remain): ${advice(context)}`,
    );
    this.module = context.module;
    this.shardId = context.shardId;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    threadMessage: ThreadMessageError;
  }
}
