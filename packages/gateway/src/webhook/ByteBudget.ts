import { requireInteger } from '@bot/core';

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
   * @throws {@link ValidationError} for anything but a non-negative safe integer, which would
   *   corrupt the count for good (NaN) or raise the capacity (a negative number)
   */
  public take(bytes: number): boolean {
    requireInteger(bytes, 'bytes', 0);
    if (this.#used + bytes > this.capacity) return false;
    this.#used += bytes;
    return true;
  }

  /**
   * Gives back `bytes` taken earlier.
   *
   * @throws {@link ValidationError} for anything but a non-negative safe integer
   */
  public give(bytes: number): void {
    requireInteger(bytes, 'bytes', 0);
    this.#used -= bytes;
  }
}
