/**
 * The entries a consumer is handling now, at most `limit` of them: the read loop asks for as many
 * entries as there are free slots, the renewal keeps these alive in the group, and a stop waits
 * for them to finish.
 */
export class InFlightEntries {
  readonly #ids = new Set<string>();
  readonly #limit: number;
  #waiters: (() => void)[] = [];
  #generation = 0;

  /** @param limit - entries handled at the same time at most */
  public constructor(limit: number) {
    this.#limit = limit;
  }

  /** Slots free for more entries. */
  public get free(): number {
    return Math.max(0, this.#limit - this.#ids.size);
  }

  /** Entries being handled. */
  public get size(): number {
    return this.#ids.size;
  }

  /** Ids of the entries being handled. */
  public ids(): string[] {
    return [...this.#ids];
  }

  /** Whether the entry is being handled. */
  public has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** An entry's handling has begun. */
  public add(id: string): void {
    this.#ids.add(id);
  }

  /** An entry is done with (acknowledged, or left pending for a later try); wakes the waiters. */
  public delete(id: string): void {
    if (!this.#ids.delete(id)) return;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /**
   * Resolves once a slot is free, or after `ms` at the latest (so the caller can do its periodic
   * work), or when `signal` aborts.
   */
  public async whenFree(ms: number, signal: AbortSignal): Promise<void> {
    if (this.free > 0 || signal.aborted) return;
    await this.#change(ms, signal);
  }

  /**
   * Counts up at each {@link abandon}: a handling begun in an earlier generation was given up on,
   * and must neither acknowledge its entry nor free a slot when it finishes at last.
   */
  public get generation(): number {
    return this.#generation;
  }

  /**
   * Gives up on the entries being handled (a stop whose grace ran out): they are forgotten here,
   * and stay pending in the group. Wakes the waiters.
   *
   * @returns their ids
   */
  public abandon(): string[] {
    const ids = this.ids();
    this.#generation++;
    this.#ids.clear();
    for (const wake of this.#waiters.splice(0)) wake();
    return ids;
  }

  /** Resolves once no entry is being handled. */
  public async drained(): Promise<void> {
    while (this.#ids.size > 0) await this.#change(Number.POSITIVE_INFINITY);
  }

  /** Resolves at the next delete, after `ms`, or when `signal` aborts, whichever comes first. */
  #change(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        const index = this.#waiters.indexOf(done);
        if (index !== -1) this.#waiters.splice(index, 1);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.push(done);
    });
  }
}
