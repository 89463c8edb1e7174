/** One dispatch handed to the handler, in the order of its shard; or where a new session began. */
interface Run {
  seq: number | undefined;
  done: boolean;
  /** Marks the start of a new session: the sequence numbers before it are of another one. */
  sessionStart?: true;
}

/** The runs of one shard, oldest first (`head` is the first not yet taken off). */
interface ShardRuns {
  runs: Run[];
  head: number;
  /** Session starts not yet taken off: while any is, the oldest runs are of an earlier session. */
  sessionStarts: number;
}

/**
 * The dispatches a worker thread's handler has been handed, per shard, until every earlier one of
 * the shard is done too: how far each shard's events are handled, in its order, so a thread that
 * crashes is resumed from its oldest handling not finished (at least once), never past it.
 *
 * Handlings that return no promise are done at once and, with nothing of the shard running, cost
 * one call. Progress is told only within the shard's current session: the runs of an earlier one
 * (still running when the shard identified anew) are counted, not told. While `max` runs are held (running, or done behind one still running), `onHold(true)`
 * stops the thread's sockets from being read until half of them are taken off, so slow handlers
 * cannot pile up events without bound; `idle(shard)` tells when a closing shard's runs are done.
 */
export class HandlerRuns {
  readonly #max: number;
  readonly #onHold: (held: boolean) => void;
  readonly #onProgress: (id: number, seq: number) => void;
  readonly #shards = new Map<number, ShardRuns>();
  readonly #idle = new Map<number, Array<() => void>>();
  #total = 0;
  #held = false;

  /**
   * @param max - runs held at which reading stops
   * @param onHold - stops (`true`) or restarts (`false`) the shards' reading
   * @param onProgress - every event of shard `id` up to `seq` is handled
   */
  public constructor(
    max: number,
    onHold: (held: boolean) => void,
    onProgress: (id: number, seq: number) => void,
  ) {
    this.#max = max;
    this.#onHold = onHold;
    this.#onProgress = onProgress;
  }

  /** Whether reading is stopped until handlers catch up. */
  public get held(): boolean {
    return this.#held;
  }

  /** A handling of shard `id` finished as it was handed (no promise). */
  public finished(id: number, seq: number | undefined): void {
    const shard = this.#shards.get(id);
    if (shard === undefined) {
      if (seq !== undefined) this.#onProgress(id, seq);
      return;
    }
    this.#add(shard, { seq, done: true });
  }

  /** A handling of shard `id` runs until `running` settles (either way: failures are the caller's to report). */
  public track(id: number, seq: number | undefined, running: PromiseLike<unknown>): void {
    let shard = this.#shards.get(id);
    if (shard === undefined) {
      shard = { runs: [], head: 0, sessionStarts: 0 };
      this.#shards.set(id, shard);
    }
    const run: Run = { seq, done: false };
    this.#add(shard, run);
    const settled = (): void => {
      run.done = true;
      this.#takeDone(id);
    };
    Promise.resolve(running).then(settled, settled);
  }

  /**
   * Shard `id` began another session: the sequence numbers of the runs still held are of the old
   * one, so no progress is told until they are taken off.
   */
  public newSession(id: number): void {
    const shard = this.#shards.get(id);
    if (shard === undefined) return;
    shard.sessionStarts += 1;
    this.#add(shard, { seq: undefined, done: true, sessionStart: true });
  }

  /** Resolves once shard `id` has no handling left running. */
  public idle(id: number): Promise<void> {
    if (!this.#shards.has(id)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiting = this.#idle.get(id);
      if (waiting === undefined) this.#idle.set(id, [resolve]);
      else waiting.push(resolve);
    });
  }

  #add(shard: ShardRuns, run: Run): void {
    shard.runs.push(run);
    this.#total += 1;
    if (!this.#held && this.#total >= this.#max) {
      this.#held = true;
      this.#onHold(true);
    }
  }

  /** Takes the shard's oldest runs off while they are done, and tells how far it is handled. */
  #takeDone(id: number): void {
    const shard = this.#shards.get(id);
    if (shard === undefined) return;
    let seq: number | undefined;
    for (let run = shard.runs[shard.head]; run?.done === true; run = shard.runs[shard.head]) {
      if (run.sessionStart === true) {
        shard.sessionStarts -= 1;
        seq = undefined;
      } else if (shard.sessionStarts === 0) {
        seq = run.seq ?? seq;
      }
      shard.head += 1;
      this.#total -= 1;
    }
    if (shard.head === shard.runs.length) {
      this.#shards.delete(id);
      const waiting = this.#idle.get(id);
      this.#idle.delete(id);
      for (const resolve of waiting ?? []) resolve();
    } else if (shard.head > 1_024 && shard.head * 2 > shard.runs.length) {
      shard.runs = shard.runs.slice(shard.head);
      shard.head = 0;
    }
    if (seq !== undefined) this.#onProgress(id, seq);
    if (this.#held && this.#total <= this.#max / 2) {
      this.#held = false;
      this.#onHold(false);
    }
  }
}
