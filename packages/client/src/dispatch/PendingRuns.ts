/** One run of an item whose promise has not settled yet, as {@link PendingRuns.add} made it. */
export interface PendingRun<T> {
  /** The item being run. */
  readonly item: T;
  /** When the run started, on the steady clock (ms), as {@link PendingRuns.add} was told. */
  readonly startedAt: number;
  /** The item's place in its lane's arrivals (0 for the first item pushed), as `add` was told. */
  readonly arrival: number;
}

/** A run's place in the list: its neighbours, and whether it is still in it. */
interface Link<T> extends PendingRun<T> {
  previous: Link<T> | undefined;
  next: Link<T> | undefined;
  listed: boolean;
}

/**
 * The runs of a lane still waiting for their promise, in the order they started: a doubly linked
 * list, each run added and removed in constant time, and every run kept apart (one item may run
 * twice).
 *
 * Why not a `Set` of runs: a lane lives as long as its client, so its `Set` sits in the old heap
 * generation, and with `async` handlers a young run goes in and out of it on every event. That
 * churn made young-generation collections promote many short-lived objects, at a cost above the
 * rest of the event's handling. A list keeps only two pointers of its own to young runs.
 */
export class PendingRuns<T> {
  #first: Link<T> | undefined;
  #last: Link<T> | undefined;
  #size = 0;

  /** Runs in the list. */
  public get size(): number {
    return this.#size;
  }

  /** The run that started first of those still listed, if any. */
  public get oldest(): PendingRun<T> | undefined {
    return this.#first;
  }

  /**
   * Adds a run of `item` at the end.
   *
   * @param item - the item being run
   * @param startedAt - when the run started, on the steady clock (ms); 0 when nobody asks
   * @param arrival - the item's place in its lane's arrivals; 0 when nobody asks
   * @returns the run, to {@link PendingRuns.remove} once its promise has settled
   */
  public add(item: T, startedAt = 0, arrival = 0): PendingRun<T> {
    const link: Link<T> = { item, startedAt, arrival, previous: this.#last, next: undefined, listed: true };
    if (this.#last === undefined) this.#first = link;
    else this.#last.next = link;
    this.#last = link;
    this.#size += 1;
    return link;
  }

  /**
   * Takes `run` out of the list.
   *
   * @param run - a run this list's {@link PendingRuns.add} returned; one of another list would
   *   corrupt both
   * @returns `false` when it was no longer listed (already removed, or given up on by
   *   {@link PendingRuns.clear})
   */
  public remove(run: PendingRun<T>): boolean {
    const link = run as Link<T>;
    if (!link.listed) return false;
    link.listed = false;
    const { previous, next } = link;
    if (previous === undefined) this.#first = next;
    else previous.next = next;
    if (next === undefined) this.#last = previous;
    else next.previous = previous;
    link.previous = undefined;
    link.next = undefined;
    this.#size -= 1;
    return true;
  }

  /**
   * Empties the list; the runs it held are no longer listed.
   *
   * @returns their items, in the order the runs started
   */
  public clear(): T[] {
    const items: T[] = [];
    for (let link = this.#first; link !== undefined;) {
      const next = link.next;
      items.push(link.item);
      link.listed = false;
      link.previous = undefined;
      link.next = undefined;
      link = next;
    }
    this.#first = undefined;
    this.#last = undefined;
    this.#size = 0;
    return items;
  }
}
