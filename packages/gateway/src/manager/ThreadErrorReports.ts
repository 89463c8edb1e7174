import { ThreadHandlerError } from '../workers/ThreadHandlerError.js';
import { WorkerRestartsExhaustedError } from '../workers/WorkerRestartsExhaustedError.js';

/**
 * Tells which reports of an error the manager's `error` event passes on. A worker thread's
 * `WorkerRestartsExhaustedError` or `ThreadHandlerError` stops every shard on the thread and is
 * reported by each of them: it goes out once, with the first shard's id. Any other error goes out as often as a shard reports
 * it, even one object reported by several shards (a lease implementation of the user's own may
 * share one): each report is news of its shard.
 */
export class ThreadErrorReports {
  /** The thread errors passed on already; weakly held, so bounded by the live ones. */
  readonly #passed = new WeakSet<Error>();

  /**
   * Whether this report of `error` goes out.
   *
   * @param error - the error a shard reports
   */
  public passes(error: Error): boolean {
    if (!(error instanceof WorkerRestartsExhaustedError || error instanceof ThreadHandlerError)) return true;
    if (this.#passed.has(error)) return false;
    this.#passed.add(error);
    return true;
  }
}
