import { steadyNow, type BotLogger } from '@bot/core';
import {
  MAX_THREAD_REPORTS_PER_WINDOW,
  reportToMainThread,
  THREAD_REPORT_WINDOW_MS,
  ThreadClientError,
} from '@bot/gateway';
import type { ClientError } from '../errors/ClientError.js';

/** Failures a thread's client reports to the main thread per {@link REPORT_WINDOW_MS}, at most: the gateway's bound. */
export const MAX_REPORTS_PER_WINDOW = MAX_THREAD_REPORTS_PER_WINDOW;
/** The window the reports are counted over. */
export const REPORT_WINDOW_MS = THREAD_REPORT_WINDOW_MS;
/** Longest original message a report carries (a handler may fail with a very long one). */
const MAX_REPORTED_MESSAGE = 2_000;

/**
 * Brings the failures of a worker thread's client that has no `error()` of its own to the main
 * thread's client, each as a {@link ThreadClientError}. Bounded: a flood of failures (a handler
 * failing on every event) must not flood the thread's port, so past
 * {@link MAX_REPORTS_PER_WINDOW} in {@link REPORT_WINDOW_MS} they are counted instead, and the
 * count is logged (through the thread's logger, itself bounded) when the window ends (an unref'd
 * timer, cleared by {@link ThreadErrorForwarding.flush}) or the thread's client shuts down.
 */
export class ThreadErrorForwarding {
  readonly #thread: number;
  readonly #log: BotLogger;
  readonly #post: (error: ThreadClientError) => boolean;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #sent = 0;
  #dropped = 0;
  /** Logs the count when the window with the first failure not reported ends. */
  #windowEnd: NodeJS.Timeout | undefined;

  /**
   * @param thread - index of the worker thread
   * @param log - where the count of failures not reported goes
   * @param post - posts one report to the main thread (`false` when there is none)
   * @param now - the clock the window is counted on, in milliseconds (the steady clock)
   */
  public constructor(
    thread: number,
    log: BotLogger,
    post: (error: ThreadClientError) => boolean = reportToMainThread,
    now: () => number = steadyNow,
  ) {
    this.#thread = thread;
    this.#log = log;
    this.#post = post;
    this.#now = now;
  }

  /**
   * Reports one failure of the thread's client, unless the window's allowance is spent.
   *
   * @param error - what the client would have given its `error()`
   * @param shardId - the shard whose event it concerns, if any
   */
  public report(error: ClientError, shardId: number | undefined): void {
    const now = this.#now();
    if (now - this.#windowStart >= REPORT_WINDOW_MS) {
      this.flush();
      this.#windowStart = now;
      this.#sent = 0;
    }
    if (this.#sent >= MAX_REPORTS_PER_WINDOW) {
      this.#dropped += 1;
      // Told when the window ends, not at the next failure, which may come hours later or never.
      this.#windowEnd ??= setTimeout(() => this.flush(), this.#windowStart + REPORT_WINDOW_MS - now).unref();
      return;
    }
    this.#sent += 1;
    const reported = { name: error.name, kind: error.kind, message: bounded(error.message) };
    const failure = new ThreadClientError(this.#thread, reported, shardId, { cause: error });
    if (!this.#post(failure)) this.#log.error(failure.message);
  }

  /**
   * Logs how many failures were not reported since the last time it said so, if any; called when
   * the window ends and by the thread client's shutdown.
   */
  public flush(): void {
    clearTimeout(this.#windowEnd);
    this.#windowEnd = undefined;
    if (this.#dropped === 0) return;
    this.#log.warn(
      `${this.#dropped} failure(s) of worker thread ${this.#thread}'s client were not reported to the ` +
        `main client's error(): more than ${MAX_REPORTS_PER_WINDOW} came within ${REPORT_WINDOW_MS} ms; ` +
        "give the thread's client an error() hook of its own to receive every one",
    );
    this.#dropped = 0;
  }
}

function bounded(message: string): string {
  return message.length > MAX_REPORTED_MESSAGE ? `${message.slice(0, MAX_REPORTED_MESSAGE)}…` : message;
}
