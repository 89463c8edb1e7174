import { emulatorNow } from '../../util/emulatorClock.js';
/**
 * The "5 messages per second per channel" rule as a sliding one-second window per channel, on the
 * steady clock: a wall clock stepped forward opens no room early.
 */
export class ChannelRateLimiter {
  readonly #sent = new Map<string, number[]>();

  /**
   * @param limit messages allowed per window
   * @param windowMs window length in milliseconds
   */
  constructor(
    readonly limit = 5,
    readonly windowMs = 1000,
  ) {}

  /** Counts a send to `channel` and returns true, or returns false when the window is full. */
  tryAcquire(channel: string, now: number = emulatorNow()): boolean {
    const recent = (this.#sent.get(channel) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.#sent.set(channel, recent);
      return false;
    }
    recent.push(now);
    this.#sent.set(channel, recent);
    return true;
  }
}
