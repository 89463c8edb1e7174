import type { FromWorker, ShardItem } from './messages.js';

/**
 * What a worker thread sends the main thread about its shards, in order and in batches: items
 * collect until the current turn of the event loop ends (`setImmediate`) or `maxBatch` of them
 * wait, then cross in one message: on the main thread one message per event costs about 3× what a
 * batched event does (`bench/workers/crossing.ts`).
 *
 * The main thread acknowledges dispatches once it has handed them to the listeners. When
 * `maxUnacked` are outstanding (the main thread is busy), `onHold(true)` stops the shards' reading
 * until half of them are acknowledged, so the queue between the threads stays bounded; heartbeats
 * go on meanwhile.
 */
export class Outbox {
  readonly #post: (message: FromWorker) => void;
  readonly #maxBatch: number;
  readonly #maxUnacked: number;
  readonly #onHold: (held: boolean) => void;
  #items: ShardItem[] = [];
  /** How far each shard's events are handled on this thread, since the last message (handler modules). */
  readonly #handled = new Map<number, number>();
  #dispatches = 0;
  #unacked = 0;
  #held = false;
  #flush: NodeJS.Immediate | undefined;

  /**
   * @param post - sends a message to the main thread
   * @param maxBatch - most items in one message
   * @param maxUnacked - unacknowledged dispatches at which reading stops
   * @param onHold - stops (`true`) or restarts (`false`) the shards' reading
   */
  public constructor(
    post: (message: FromWorker) => void,
    maxBatch: number,
    maxUnacked: number,
    onHold: (held: boolean) => void,
  ) {
    this.#post = post;
    this.#maxBatch = maxBatch;
    this.#maxUnacked = maxUnacked;
    this.#onHold = onHold;
  }

  /** Whether reading is stopped for the main thread to catch up. */
  public get held(): boolean {
    return this.#held;
  }

  /** Queues one item; it crosses at the end of this turn, or now once a batch is full. */
  public push(item: ShardItem): void {
    // How far the shard was handled crosses before what the shard reports next (a new session's
    // state must not be followed by the old one's progress).
    if (this.#handled.size > 0) this.#handledFirst(item[0]);
    this.#items.push(item);
    const dispatch = item[1] === 'dispatch';
    if (dispatch) {
      this.#dispatches += 1;
      this.#unacked += 1;
    }
    if (this.#items.length >= this.#maxBatch) this.flush();
    else this.#flush ??= setImmediate(() => this.flush());
    // Holding last: pausing shards pushes items of its own ('reading paused'), which must land
    // after this batch is sent, or a full batch would cross one item over maxBatch and the main
    // thread would stop the thread as malformed.
    if (dispatch && !this.#held && this.#unacked >= this.#maxUnacked) {
      this.#held = true;
      this.#onHold(true);
    }
  }

  /**
   * Every event of shard `id` up to `seq` is handled on this thread (by a handler module): the
   * main thread's resume point moves there. Only the last per shard crosses, with the next batch.
   */
  public handled(id: number, seq: number): void {
    this.#handled.set(id, seq);
    this.#flush ??= setImmediate(() => this.flush());
  }

  /**
   * Sends what is queued now if shard `id`'s handled seq is still waiting: a heartbeat about to
   * acknowledge it must not get ahead of the main thread's resume point, since a strict platform
   * refuses a resume from behind what was acknowledged (4007, docs/protocol.md §4).
   */
  public flushHandled(id: number): void {
    if (this.#handled.has(id)) this.flush();
  }

  #handledFirst(id: number): void {
    const seq = this.#handled.get(id);
    if (seq === undefined) return;
    this.#handled.delete(id);
    this.#items.push([id, 'handled', seq]);
    if (this.#items.length >= this.#maxBatch) this.flush();
  }

  /** Sends what is queued now. */
  public flush(): void {
    if (this.#flush !== undefined) clearImmediate(this.#flush);
    this.#flush = undefined;
    if (this.#items.length > 0) {
      this.#post({ type: 'items', items: this.#items, dispatches: this.#dispatches });
      this.#items = [];
      this.#dispatches = 0;
    }
    if (this.#handled.size === 0) return;
    const handled: ShardItem[] = [...this.#handled].map(([id, seq]) => [id, 'handled', seq]);
    this.#handled.clear();
    for (let from = 0; from < handled.length; from += this.#maxBatch) {
      this.#post({ type: 'items', items: handled.slice(from, from + this.#maxBatch), dispatches: 0 });
    }
  }

  /** The main thread has handed `dispatches` more to its listeners. */
  public acknowledged(dispatches: number): void {
    this.#unacked = Math.max(0, this.#unacked - dispatches);
    if (this.#held && this.#unacked <= this.#maxUnacked / 2) {
      this.#held = false;
      this.#onHold(false);
    }
  }
}
