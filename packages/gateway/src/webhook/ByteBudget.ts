/**
 * Bytes that request bodies may hold at once across all connections: each request takes its
 * share before buffering and gives it back when done, so many slow or stalled bodies together
 * can never hold more than the budget.
 */
export class ByteBudget {
  #used = 0;

  /** @param capacity - bytes available in total */
  public constructor(public readonly capacity: number) {}

  /** Bytes currently taken. */
  public get used(): number {
    return this.#used;
  }

  /**
   * Takes `bytes` if they are free.
   *
   * @returns whether they were taken (nothing is taken otherwise)
   */
  public take(bytes: number): boolean {
    if (this.#used + bytes > this.capacity) return false;
    this.#used += bytes;
    return true;
  }

  /** Gives back `bytes` taken earlier. */
  public give(bytes: number): void {
    this.#used -= bytes;
  }
}
