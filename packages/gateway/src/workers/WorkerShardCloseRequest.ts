import { MAX_TIMER_DELAY, steadyNow } from '@bot/core';
import type { WorkerLink } from './WorkerLink.js';

/** How much longer than the grace a thread may take to report the close before it is stopped. */
const CLOSE_ANSWER_MARGIN_MS = 2_000;

/** One close of a `WorkerShard`, as its thread is asked for it. */
export interface CloseRequest {
  /** The shard's id. */
  id: number;
  /** Whether the session is invalidated. */
  invalidateSession: boolean;
  /** The close's own grace, if it gave one. */
  graceMs: number | undefined;
  /** The shard's grace when the close gives none. */
  defaultGraceMs: number;
  /** Settles when the thread reported the close (or exited). */
  answered: Promise<unknown>;
}

/**
 * The wait for a thread to report a shard's close: past it the thread is stopped as unresponsive
 * (which ends the close as an exit does). A close that upgrades the one under way extends it.
 */
export class CloseAnswerWatchdog {
  readonly #link: WorkerLink;
  readonly #id: number;
  #answered = false;
  /** When the thread was asked, on the steady clock; `undefined` until it was. */
  #askedAt: number | undefined;
  /** When the thread is stopped, on the steady clock. */
  #deadline = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param link - the thread asked for the close
   * @param id - the shard's id
   * @param answered - settles when the thread reported the close (or exited): the wait ends
   */
  public constructor(link: WorkerLink, id: number, answered: Promise<unknown>) {
    this.#link = link;
    this.#id = id;
    void answered.finally(() => {
      this.#answered = true;
      clearTimeout(this.#timer);
    });
  }

  /**
   * Gives the thread until `graceMs` plus a margin from now to report the close, unless it had
   * longer already: a close keeps to the later of its deadlines. The wait is capped at core's
   * `MAX_TIMER_DELAY`, the longest timer Node keeps.
   *
   * @param graceMs - the grace of the close asked for now
   */
  public extend(graceMs: number): void {
    if (this.#answered) return;
    const now = steadyNow();
    const askedAt = (this.#askedAt ??= now);
    // A longer delay would overflow Node's timer and fire after 1 ms, stopping the thread at once.
    const delay = Math.min(graceMs + CLOSE_ANSWER_MARGIN_MS, MAX_TIMER_DELAY);
    if (this.#timer !== undefined && now + delay <= this.#deadline) return;
    clearTimeout(this.#timer);
    this.#deadline = now + delay;
    const waited = Math.round(this.#deadline - askedAt);
    this.#timer = setTimeout(
      () => this.#link.unresponsive(`shard ${this.#id} did not report its close within ${waited} ms`),
      delay,
    );
  }
}

/**
 * Asks the thread to close a shard, and stops a thread that does not report the close within the
 * grace plus a margin (see {@link CloseAnswerWatchdog}).
 *
 * @param watchdog - the wait for the report, which the caller keeps to extend it when an
 *   invalidating close upgrades this one (a new one by default)
 * @returns `false` when no thread runs right now to ask
 */
export function requestClose(
  link: WorkerLink,
  request: CloseRequest,
  watchdog = new CloseAnswerWatchdog(link, request.id, request.answered),
): boolean {
  const { id, invalidateSession, graceMs } = request;
  if (!link.post({ type: 'close', id, invalidateSession, graceMs })) return false;
  watchdog.extend(graceMs ?? request.defaultGraceMs);
  return true;
}
