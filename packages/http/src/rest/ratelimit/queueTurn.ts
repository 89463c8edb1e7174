import type PQueue from 'p-queue';
import {
  type AbortFanout,
  DeadlineExceededError,
  onFirstAbort,
  msUntil,
  type OptionalSignal,
} from '@bot/core';

/**
 * Runs `body` in `queue` once it has room. One signal takes it off the queue, whatever ends the
 * wait first: the caller's `signal`, the `deadline` or the limiter's end (`closing`); it is wired
 * to them only while the body has not started.
 *
 * @param queue - the queue to wait in
 * @param body - runs once the queue gives it its turn
 * @param signal - the caller's signal
 * @param deadline - when waiting fails with a `DeadlineExceededError`, on the steady clock (`steadyNow`)
 * @param closing - the limiter's end, shared by every wait
 * @returns what `body` returns
 * @throws the reason that took it off the queue, or what `body` throws
 */
export async function takeTurn<T>(
  queue: PQueue,
  body: () => Promise<T>,
  signal: AbortSignal | undefined,
  deadline: number,
  closing: AbortFanout,
): Promise<T> {
  const leave = new AbortController();
  let started = false;
  let stopWaiting: (() => void) | undefined;
  try {
    const result = queue.add(
      () => {
        started = true;
        stopWaiting?.();
        return body();
      },
      { signal: leave.signal },
    );
    if (!started) stopWaiting = leaveWhenDue(leave, signal, deadline, closing);
    return await result;
  } catch (error) {
    if (leave.signal.aborted) throw leave.signal.reason;
    throw error;
  } finally {
    stopWaiting?.();
  }
}

/** Aborts `leave` when `signal` or `closing` aborts, or at `deadline`; returns the undo. */
function leaveWhenDue(
  leave: AbortController,
  signal: OptionalSignal,
  deadline: number,
  closing: AbortFanout,
): () => void {
  // The caller's reason wins over the limiter's when both have aborted.
  if (signal?.aborted) {
    leave.abort(signal.reason);
    return noop;
  }
  const forget = closing.add(leave);
  if (leave.signal.aborted) return noop;
  const ms = msUntil(deadline);
  const timer = Number.isFinite(ms)
    ? setTimeout(() => {
        stopListening();
        forget();
        leave.abort(new DeadlineExceededError(ms));
      }, ms)
    : undefined;
  const stopListening = onFirstAbort([signal], (reason) => {
    clearTimeout(timer);
    stopListening();
    forget();
    leave.abort(reason);
  });
  return () => {
    clearTimeout(timer);
    stopListening();
    forget();
  };
}

function noop(): void {}
