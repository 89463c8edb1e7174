/**
 * Tells a connection that has proved itself by time from one that only reached READY: one that
 * stayed ready for `stableAfterMs`. A server that closes right after READY or RESUMED must not
 * earn an immediate reconnect every time. Such a connection starts the back-off over, and the
 * counts of op 9 and oversized frames in a row, which start over only here; the back-off alone
 * also starts over when the platform ends, the ordinary way, a connection whose scheduled heartbeat
 * it acknowledged (see ReconnectPlanner). Every `now` is a reading of
 * the steady clock (`steadyNow` of `@bot/core`), so a wall clock stepped forward proves nothing.
 */
export class ConnectionStability {
  readonly #stableAfterMs: number;
  #readySince: number | undefined;

  /** @param stableAfterMs - time a connection must stay ready to count as stable */
  public constructor(stableAfterMs: number) {
    this.#stableAfterMs = stableAfterMs;
  }

  /** The current connection reached READY or RESUMED at `now`. */
  public ready(now: number): void {
    this.#readySince = now;
  }

  /**
   * Whether the current connection has stayed ready long enough. Answers `true` once per
   * connection, so the caller resets its back-off once.
   */
  public provenAt(now: number): boolean {
    if (this.#readySince === undefined || now - this.#readySince < this.#stableAfterMs) return false;
    this.#readySince = undefined;
    return true;
  }

  /** The current connection ended; `true` if it had proved stable and not been counted yet. */
  public ended(now: number): boolean {
    const proven = this.provenAt(now);
    this.#readySince = undefined;
    return proven;
  }
}
