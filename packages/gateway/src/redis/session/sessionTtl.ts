import { MAX_TIMER_DELAY, ValidationError } from '@bot/core';
import { DEFAULT_SESSION_TTL_MS, REPLAY_MARGIN_MS } from '../replayWindow.js';

/** Longest session TTL: its refresh interval, a third of it, must fit a timer. */
const MAX_SESSION_TTL_MS = 3 * MAX_TIMER_DELAY;

/**
 * The session TTL in force: the one given, or one the publisher's dedupe window covers.
 *
 * @param given - the store's `ttlMs`, if set
 * @param dedupeWindowMs - the linked publisher's dedupe window, 0 without one
 * @throws {@link ValidationError} for a TTL under one second, over 3 × (2^31-1) ms, or one the
 *   window does not cover
 */
export function sessionTtl(given: number | undefined, dedupeWindowMs: number): number {
  const covered = dedupeWindowMs > 0 ? dedupeWindowMs - REPLAY_MARGIN_MS : undefined;
  if (given === undefined && covered !== undefined && covered < 1_000) {
    throw new ValidationError(
      'publisher.dedupeWindowMs',
      `must exceed ${REPLAY_MARGIN_MS + 1_000} ms to leave room for a session TTL (got ${dedupeWindowMs})`,
    );
  }
  const ttlMs = given ?? covered ?? DEFAULT_SESSION_TTL_MS;
  if (!(ttlMs >= 1_000 && Number.isSafeInteger(ttlMs))) {
    throw new ValidationError('ttlMs', `must be an integer of at least 1000 ms (got ${ttlMs})`);
  }
  if (ttlMs > MAX_SESSION_TTL_MS) {
    throw new ValidationError(
      'ttlMs',
      `must be at most ${MAX_SESSION_TTL_MS} ms: the TTLs are refreshed every third of it, by a timer that holds at most ${MAX_TIMER_DELAY} ms (got ${ttlMs})`,
    );
  }
  if (covered !== undefined && ttlMs > covered) {
    throw new ValidationError(
      'ttlMs',
      `must be at most ${covered} ms: the publisher's dedupe window (${dedupeWindowMs} ms) has to outlast a session by ${REPLAY_MARGIN_MS} ms (got ${ttlMs})`,
    );
  }
  return ttlMs;
}
