import { DeadlineExceededError, messageOf, raceAbort } from '@bot/core';
import type { FromWorker } from './messages.js';
import { forwardingLogger, LogAllowance } from './remoteServices.js';
import { HANDLER_CLOSE_DEADLINE_MS, type ThreadDispatchHandler } from './ThreadHandler.js';

/** What {@link closeHandlerAndStop} needs of its thread. */
export interface HandlerCloseThread {
  /** The thread's index, for the report. */
  index: number;
  /** The lowest level of a log line that crosses to the main thread. */
  logLevel: number;
  /** Sends a message to the main thread. */
  post: (message: FromWorker) => void;
  /** The thread's log allowance: the lines it dropped are told in `stopped`. */
  logs: LogAllowance;
}

/**
 * Runs the dispatch handler's `close()` (if any) for at most {@link HANDLER_CLOSE_DEADLINE_MS},
 * logs an error if it failed or ran out of time, then tells the main thread `stopped`, with the
 * count of log lines the thread dropped. The error line has an allowance of its own: after a
 * `close()` that logged more than the thread may have in flight, it is still printed.
 *
 * @param handler - the thread's handler, `undefined` if its module never finished setting up
 * @param thread - where the thread reports to
 */
export async function closeHandlerAndStop(
  handler: ThreadDispatchHandler | undefined,
  thread: HandlerCloseThread,
): Promise<void> {
  const closing = (async () => handler?.close?.())();
  // Told apart by identity: a close() may itself reject with a request's DeadlineExceededError.
  const late = new DeadlineExceededError(HANDLER_CLOSE_DEADLINE_MS);
  const failure = await raceAbort(closing, [], { ms: HANDLER_CLOSE_DEADLINE_MS, error: () => late }).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  if (failure !== undefined) {
    const report = forwardingLogger(thread.post, thread.logLevel, new LogAllowance(1));
    report.error(
      `worker thread ${thread.index}: the dispatch handler's close() ${failureText(failure.error, late)}`,
    );
  }
  const droppedLogs = thread.logs.takeDropped();
  thread.post({ type: 'stopped', ...(droppedLogs > 0 ? { droppedLogs } : {}) });
}

/** What went wrong with `close()`, and what to do about it. */
function failureText(error: unknown, late: DeadlineExceededError): string {
  if (error === late) {
    return (
      `did not finish within ${HANDLER_CLOSE_DEADLINE_MS} ms and is cut off as the thread ends: ` +
      "give close()'s awaited calls deadlines of their own"
    );
  }
  return (
    `failed: ${messageOf(error)}; what it had left to finish (a client's shutdown, data to ` +
    'flush) may be undone: catch in close() what it can recover from'
  );
}
