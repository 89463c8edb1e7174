import { MAX_TIMER_DELAY } from '@bot/core';
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
 * Asks the thread to close a shard, and stops a thread that does not report the close within the
 * grace plus a margin (which ends the close as an exit does). The wait is capped at core's
 * `MAX_TIMER_DELAY`, the longest timer Node keeps.
 *
 * @returns `false` when no thread runs right now to ask
 */
export function requestClose(link: WorkerLink, request: CloseRequest): boolean {
  const { id, invalidateSession, graceMs } = request;
  if (!link.post({ type: 'close', id, invalidateSession, graceMs })) return false;
  // A longer delay would overflow Node's timer and fire after 1 ms, stopping the thread at once.
  const limit = Math.min((graceMs ?? request.defaultGraceMs) + CLOSE_ANSWER_MARGIN_MS, MAX_TIMER_DELAY);
  const timer = setTimeout(
    () => link.unresponsive(`shard ${id} did not report its close within ${limit} ms`),
    limit,
  );
  void request.answered.finally(() => clearTimeout(timer));
  return true;
}
