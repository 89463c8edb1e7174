import { steadyNow } from '@bot/core';

/** Added to every steady reading: what the steady clock went back by, summed. */
let offset = 0;
/** The last reading handed out. */
let last = Number.NEGATIVE_INFINITY;

/**
 * The emulator's clock, in ms: the steady clock (`steadyNow` of core), made never to go back. The
 * steady clock itself can in a test: fake timers that fake `performance` start it again from 0,
 * and putting the real timers back can take it back to a real reading behind the faked one. Such a jump back counts
 * here as no time passed (less than a millisecond), so every rule the emulator counts (an identify window, a channel's
 * messages per second, a budget's period, a token's lifetime) lasts at most its length of the
 * time the test moves on, and a rule under way when the clock was faked still holds: it errs on
 * the strict side, as the platform would.
 *
 * @returns milliseconds since an arbitrary origin, never less than an earlier reading
 */
export function emulatorNow(): number {
  let reading = steadyNow() + offset;
  if (reading < last) {
    // In whole ms (up to 1 ms counted as passed): a faked clock's whole readings stay whole, so the
    // lengths a test moves it by are measured exactly.
    offset += Math.ceil(last - reading);
    reading = Math.max(last, steadyNow() + offset);
  }
  last = reading;
  return reading;
}
