/**
 * Who holds a shard's reading paused: any string or symbol naming one pause authority (a
 * back-pressure source, a shutdown, your code). A symbol cannot collide with anyone else's name.
 */
export type PauseHolder = string | symbol;

/**
 * The holder a `pause()` or `resume()` without one stands for: your code's own pause. The
 * framework pauses under holders of its own, so a bare `resume()` never lifts them.
 */
export const DEFAULT_PAUSE_HOLDER: PauseHolder = 'default';

/**
 * The holders of one pause: reading stops while at least one holds it and goes on once none
 * does. Each holder holds it at most once, so pausing twice and resuming once under the same
 * holder releases it, and a holder that is not holding releases nothing.
 */
export class PauseHolders {
  readonly #holders = new Set<PauseHolder>();

  /** Whether any holder holds the pause. */
  public get held(): boolean {
    return this.#holders.size > 0;
  }

  /** The holders now, in the order they paused. */
  public get holders(): readonly PauseHolder[] {
    return [...this.#holders];
  }

  /** @returns whether this call started the pause (it was not held before) */
  public add(holder: PauseHolder): boolean {
    const before = this.#holders.size;
    this.#holders.add(holder);
    return before === 0 && this.#holders.size === 1;
  }

  /** @returns whether this call ended the pause (its holder was the last) */
  public delete(holder: PauseHolder): boolean {
    return this.#holders.delete(holder) && this.#holders.size === 0;
  }
}
