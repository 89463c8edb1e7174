/**
 * Remembers the last `capacity` event ids, to drop an event the platform delivers twice. Bounded:
 * the oldest id is forgotten first, so memory stays flat on a bot that runs for months.
 */
export class DedupeWindow {
  readonly #seen = new Set<string>();

  /** @param capacity - how many recent ids to remember (10,000 by default) */
  public constructor(private readonly capacity = 10_000) {}

  /**
   * Records `id` and reports whether it was already seen.
   *
   * @param id - the event id (`id` of the payload envelope)
   * @returns `true` when `id` is a repeat
   */
  public check(id: string): boolean {
    if (this.#seen.has(id)) return true;
    this.#seen.add(id);
    if (this.#seen.size > this.capacity) {
      // A Set iterates in insertion order: its first entry is the oldest.
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return false;
  }

  /** Number of ids remembered. */
  public get size(): number {
    return this.#seen.size;
  }
}
