import { BotError } from '@bot/core';

/**
 * Where a worker thread was when it stopped answering: `loading` before it reported anything of a
 * shard (its script, or its handler module's top-level code or setup, still running), `running`
 * after.
 */
export type UnresponsivePhase = 'loading' | 'running';

/** What a {@link ThreadUnresponsiveError} tells of the thread. */
export interface UnresponsiveThread {
  /** Index of the worker thread in the strategy. */
  thread: number;
  /** The handler module's URL (`workerThreads({ handler })`), if the thread has one. */
  module: string | undefined;
  /** Where the thread was when it stopped answering. */
  phase: UnresponsivePhase;
  /** How long it had answered nothing. */
  silentMs: number;
  /** The silence it was allowed. */
  allowedMs: number;
}

/** What a thread's owner can always do: allow it longer, when its work is slow rather than stuck. */
const RAISE = 'or raise workerThreads({ unresponsiveMs }) if it is slow rather than stuck';

/** What the thread's own code may be doing, and what to do about it, by where it was. */
function advice({ module, phase }: UnresponsiveThread): string {
  if (phase === 'running') {
    return (
      'its event loop is blocked (a handler in a synchronous loop?); keep handlers from blocking ' +
      `the thread (move long work off it, or await between steps), ${RAISE}`
    );
  }
  if (module !== undefined) {
    return (
      `it never finished loading: the top-level code or setup of its handler module ${module} ` +
      'blocks the thread (a synchronous loop, a lock never released, Atomics.wait); make loading the ' +
      `module return, doing slow work asynchronously in the setup, ${RAISE}`
    );
  }
  return (
    'it never finished loading its script: a module preloaded on every thread (--import, --require) ' +
    `may block it, or the machine is too loaded to start a thread in that time; look there, ${RAISE}`
  );
}

/**
 * A worker thread answered nothing for longer than it is allowed (`workerThreads({ unresponsiveMs })`,
 * and until it has loaded at least 30 s, the handler setup deadline): it is stopped and handled
 * as one that exited, so its shards resume on a new thread while restarts remain. It is the
 * `cause` of the `WorkerRestartsExhaustedError` its shards stop with when it keeps happening.
 */
export class ThreadUnresponsiveError extends BotError {
  /** Discriminant. */
  public readonly kind = 'threadUnresponsive' as const;
  /** Index of the worker thread in the strategy. */
  public readonly thread: number;
  /** The handler module's URL, if the thread has one. */
  public readonly module: string | undefined;
  /** Where the thread was when it stopped answering. */
  public readonly phase: UnresponsivePhase;
  /** How long it had answered nothing, in milliseconds. */
  public readonly silentMs: number;
  /** How long it was allowed to answer nothing, in milliseconds. */
  public readonly allowedMs: number;

  /** @param facts - the thread, where it was and how long it was silent */
  public constructor(facts: UnresponsiveThread) {
    super(
      `worker thread ${facts.thread} answered nothing for ${Math.round(facts.silentMs)} ms (allowed: ` +
        `${facts.allowedMs} ms) and was stopped as a thread that exited (its shards resume on a new ` +
        `thread while restarts remain): ${advice(facts)}`,
    );
    this.thread = facts.thread;
    this.module = facts.module;
    this.phase = facts.phase;
    this.silentMs = facts.silentMs;
    this.allowedMs = facts.allowedMs;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    threadUnresponsive: ThreadUnresponsiveError;
  }
}
