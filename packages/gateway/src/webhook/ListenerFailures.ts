/**
 * The deliveries a `dispatch` listener failed on, each with how many times, so that a listener
 * that always throws on an event stops its redeliveries after a bound. Keyed by event id (or a
 * digest of the body for an event without one); the oldest entry is forgotten beyond `capacity`,
 * so a flood of failures costs bounded memory (an event forgotten starts its count again).
 */
export class ListenerFailures {
  readonly #attempts: number;
  readonly #capacity: number;
  readonly #counts = new Map<string, number>();

  /**
   * @param attempts - deliveries of one event a listener may fail before it is given up
   * @param capacity - most events remembered at once
   */
  public constructor(attempts: number, capacity: number) {
    this.#attempts = attempts;
    this.#capacity = capacity;
  }

  /** How many events have failed deliveries counted (0: nothing to clear on a success). */
  public get size(): number {
    return this.#counts.size;
  }

  /**
   * Forgets `key`'s failed deliveries: a delivery of it was acknowledged, so a later copy of the
   * event (the platform sending it once more) gets every attempt again.
   *
   * @param key - the event's id, or a digest of its body
   */
  public handled(key: string): void {
    this.#counts.delete(key);
  }

  /**
   * Counts one more failed delivery of `key`, and forgets it once it reached the bound.
   *
   * @param key - the event's id, or a digest of its body
   * @returns how many deliveries of it failed, this one included (the bound: give it up)
   */
  public failed(key: string): number {
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.delete(key);
    if (count >= this.#attempts) return count;
    // Re-inserted, so the map's first key is the one failed longest ago.
    this.#counts.set(key, count);
    if (this.#counts.size > this.#capacity) {
      const oldest = this.#counts.keys().next();
      if (oldest.done !== true) this.#counts.delete(oldest.value);
    }
    return count;
  }
}
