interface Waiter {
  seq: number;
  resolve: () => void;
}

/** Publishes of one shard still waiting for Redis, and who waits for them. */
interface ShardPublishes {
  /** Sequence numbers being published, with how many publishes carry each. */
  outstanding: Map<number, number>;
  /** Min-heap of the outstanding seqs; entries whose count fell to 0 are dropped lazily. */
  heap: number[];
  waiters: Waiter[];
}

/**
 * How far each lane's dispatches are published: a lane is a shard (`number`), or a shard's session
 * (a key of the caller's), so publishes of an old session never hold a new one back. Publishes run concurrently and a retried one
 * may land after later ones, so "the highest published seq" proves nothing about the events
 * before it; what is safe to record as a shard's position is the seq just below its oldest publish
 * still under way. A publish counts once it has settled: appended, recognised as a repeat, or
 * given up on (and reported).
 */
export class PublishWatermark<Lane extends string | number = number> {
  readonly #shards = new Map<Lane, ShardPublishes>();

  /** A publish of `seq` for `shardId` has started. */
  public begin(shardId: Lane, seq: number): void {
    const shard = this.#shard(shardId);
    const count = shard.outstanding.get(seq) ?? 0;
    shard.outstanding.set(seq, count + 1);
    if (count === 0) push(shard.heap, seq);
  }

  /** A publish of `seq` for `shardId` has settled; wakes those waiting for it. */
  public settle(shardId: Lane, seq: number): void {
    const shard = this.#shards.get(shardId);
    const count = shard?.outstanding.get(seq);
    if (shard === undefined || count === undefined) return;
    if (count > 1) shard.outstanding.set(seq, count - 1);
    else shard.outstanding.delete(seq);
    const ready = shard.waiters.filter((waiter) => waiter.seq >= seq && this.#clear(shard, waiter.seq));
    if (ready.length > 0) shard.waiters = shard.waiters.filter((waiter) => !ready.includes(waiter));
    if (shard.outstanding.size === 0 && shard.waiters.length === 0) this.#shards.delete(shardId);
    for (const waiter of ready) waiter.resolve();
  }

  /**
   * The highest sequence number up to `seq` whose dispatches, and all before it, are published:
   * `seq` itself unless a publish at or below it is still under way.
   */
  public publishedUpTo(shardId: Lane, seq: number): number {
    const shard = this.#shards.get(shardId);
    const lowest = shard === undefined ? undefined : lowestOf(shard);
    return lowest === undefined ? seq : Math.max(0, Math.min(seq, lowest - 1));
  }

  /**
   * What a publish of `seq` (under way) may record as durable once it lands: the highest seq at
   * or below `seq` whose dispatches are all published, counting this publish as landed. Publishes
   * of lower seqs still under way keep it below them.
   */
  public durableWith(shardId: Lane, seq: number): number {
    const shard = this.#shards.get(shardId);
    const lowest = shard === undefined ? undefined : lowestOf(shard);
    if (shard === undefined || lowest === undefined || lowest > seq) return seq;
    if (lowest < seq) return Math.max(0, lowest - 1);
    return (shard.outstanding.get(seq) ?? 0) > 1 ? Math.max(0, seq - 1) : seq;
  }

  /** Resolves once `publishedUpTo(shardId, seq)` is `seq`. */
  public whenPublished(shardId: Lane, seq: number): Promise<void> {
    const shard = this.#shards.get(shardId);
    if (shard === undefined || this.#clear(shard, seq)) return Promise.resolve();
    return new Promise((resolve) => shard.waiters.push({ seq, resolve }));
  }

  #shard(shardId: Lane): ShardPublishes {
    let shard = this.#shards.get(shardId);
    if (shard === undefined) {
      shard = { outstanding: new Map(), heap: [], waiters: [] };
      this.#shards.set(shardId, shard);
    }
    return shard;
  }

  /** Whether no publish at or below `seq` is under way. */
  #clear(shard: ShardPublishes, seq: number): boolean {
    const lowest = lowestOf(shard);
    return lowest === undefined || lowest > seq;
  }
}

/** The lowest seq still under way, dropping settled ones from the top of the heap. */
function lowestOf(shard: ShardPublishes): number | undefined {
  const { heap, outstanding } = shard;
  while (heap.length > 0 && !outstanding.has(heap[0] ?? -1)) pop(heap);
  return heap[0];
}

function push(heap: number[], value: number): void {
  heap.push(value);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] ?? 0) <= value) break;
    heap[i] = heap[parent] ?? 0;
    i = parent;
  }
  heap[i] = value;
}

function pop(heap: number[]): void {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && (heap[right] ?? 0) < (heap[left] ?? 0) ? right : left;
    if ((heap[child] ?? 0) >= last) break;
    heap[i] = heap[child] ?? 0;
    i = child;
  }
  heap[i] = last;
}
