/**
 * Remembers the last `capacity` event ids, to drop an event the platform delivers twice. Bounded:
 * the oldest id is forgotten first, so memory stays flat on a bot that runs for months. The order
 * is kept in a ring rather than read back from the Set, whose iteration slows down as deleted
 * slots pile up.
 */
export class DedupeWindow {
  readonly #seen = new Set<string>();
  readonly #order: Array<string | undefined>;
  #next = 0;

  /** @param capacity - how many recent ids to remember (10,000 by default) */
  public constructor(capacity = 10_000) {
    this.#order = new Array<string | undefined>(Math.max(1, capacity));
  }

  /**
   * Records `id` and reports whether it was already seen.
   *
   * @param id - the event id (`id` of the payload envelope)
   * @returns `true` when `id` is a repeat
   */
  public check(id: string): boolean {
    if (this.#seen.has(id)) return true;
    const evicted = this.#order[this.#next];
    if (evicted !== undefined) this.#seen.delete(evicted);
    this.#order[this.#next] = id;
    this.#next = (this.#next + 1) % this.#order.length;
    this.#seen.add(id);
    return false;
  }

  /** Number of ids remembered. */
  public get size(): number {
    return this.#seen.size;
  }
}
