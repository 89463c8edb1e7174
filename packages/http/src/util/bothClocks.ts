import { steadyNow } from '@bot/core';

/**
 * One moment read on the steady clock and on the wall clock at once. A lifetime the platform
 * counts in real time (a token's `expires_in`, a `file_info`'s `ttl`) is counted here on both:
 * the steady clock cannot be stepped back, the wall clock goes on while the machine is suspended.
 * Like a steady reading, it means something only within this process.
 */
export interface BothClocks {
  /** `steadyNow()` at that moment. */
  steady: number;
  /** `Date.now()` at that moment. */
  wall: number;
}

/** Reads both clocks now. */
export function readBothClocks(): BothClocks {
  return { steady: steadyNow(), wall: Date.now() };
}

/**
 * Milliseconds passed between two readings, by whichever clock counted more: the steady one when
 * the wall clock was stepped back, the wall one when the machine was suspended (the steady clock
 * stands still meanwhile). A wall clock stepped forward makes it too long, which only ends a
 * lifetime early; never too short, which would use what the platform has already expired.
 *
 * @param from - the earlier reading
 * @param to - the later reading; now by default
 * @returns the time passed, never below 0
 */
export function elapsedBetween(from: BothClocks, to: BothClocks = readBothClocks()): number {
  return Math.max(0, to.steady - from.steady, to.wall - from.wall);
}
