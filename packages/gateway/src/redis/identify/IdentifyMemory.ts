/**
 * What one process remembers of the shared identify state, so that Redis losing its data (a
 * restart without persistence) never lets a turn be granted inside a window or the daily budget
 * be spent twice: when each bucket's window last ended for this process's turns, and the budget
 * as Redis last reported it. docs/redis-deployment.md, "Redis outages".
 */
export class IdentifyMemory {
  readonly #bucketFloors = new Map<number, number>();
  #budget: { remaining: number; resetAt: number } | undefined;

  /** @param maxConcurrency - buckets, as the shared state has them */
  public constructor(public maxConcurrency: number) {}

  /** When the bucket of `shardId` may open at the earliest, as far as this process knows (0: any time). */
  public floorOf(shardId: number): number {
    return this.#bucketFloors.get(shardId % this.maxConcurrency) ?? 0;
  }

  /** A turn of `shardId`'s bucket was granted or sent: it stays closed at least until `until`. */
  public closeUntil(shardId: number, until: number): void {
    const bucket = shardId % this.maxConcurrency;
    this.#bucketFloors.set(bucket, Math.max(this.#bucketFloors.get(bucket) ?? 0, until));
  }

  /** Redis reported the budget (ignored unless both numbers are finite). */
  public noteBudget(remaining: number | undefined, resetAt: number | undefined): void {
    if (remaining === undefined || resetAt === undefined || !Number.isFinite(remaining + resetAt)) return;
    this.#budget = { remaining, resetAt };
  }

  /**
   * The budget to create the shared state with at `now`: the starts the platform reported, never
   * more than Redis last held in the same period, and that period's reset.
   */
  public budgetAt(
    now: number,
    reported: { remaining: number; resetAfterMs: number },
  ): {
    remaining: number;
    resetAfterMs: number;
  } {
    const known = this.#budget !== undefined && now < this.#budget.resetAt ? this.#budget : undefined;
    if (known === undefined) return reported;
    return { remaining: Math.min(reported.remaining, known.remaining), resetAfterMs: known.resetAt - now };
  }
}
