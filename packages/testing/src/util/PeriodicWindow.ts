/**
 * Back-to-back periods of a set length counted from a start, as the platform's daily budgets are
 * (the session start budget, the upload quota): a budget starts again when {@link roll} says a
 * new period began. Time is passed in: callers read the emulator's clock (`emulatorNow`), so a
 * wall clock stepped forward or back neither ends a period early nor stretches it, and fake timers
 * that fake `performance` move it.
 */
export class PeriodicWindow {
  readonly #length: () => number;
  #start: number;

  /**
   * @param length - the period length in ms, read at each call so a new setting applies to the
   *   current period at once
   * @param start - when the first period begins
   */
  constructor(length: () => number, start: number) {
    this.#length = length;
    this.#start = start;
  }

  /** Moves to the period holding `now`; true when that is a later period than the last one seen. */
  roll(now: number): boolean {
    const length = this.#length();
    const elapsed = now - this.#start;
    if (elapsed < length) return false;
    this.#start += Math.floor(elapsed / length) * length;
    return true;
  }

  /**
   * Whole milliseconds from `now` to the end of the period holding it (call {@link roll} first), as
   * the platform reports them: steady readings have fractions.
   */
  msLeft(now: number): number {
    // The time passed first: a large start plus the length would round.
    return Math.ceil(this.#length() - (now - this.#start));
  }
}
