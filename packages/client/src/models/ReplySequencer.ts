/**
 * Numbers replies per inbound message: the platform rejects two replies to one `msg_id` that carry
 * the same `msg_seq` (code `40054005`), so each reply takes the next number. Bounded: ids older than
 * the longest reply window (60 min, C2C) are forgotten, and at most `capacity` ids are kept.
 */
export class ReplySequencer {
  readonly #next = new Map<string, { seq: number; firstReplyAt: number }>();

  /**
   * @param capacity - most inbound messages tracked at once (20,000 by default)
   * @param windowMs - how long a message can be replied to (60 min by default)
   */
  public constructor(
    private readonly capacity = 20_000,
    private readonly windowMs = 60 * 60_000,
  ) {}

  /**
   * Takes the next `msg_seq` for a reply to `messageId`: 1, 2, 3, …
   *
   * @param messageId - the inbound message (or event) id being replied to
   */
  public next(messageId: string): number {
    const now = Date.now();
    const entry = this.#next.get(messageId);
    if (entry && now - entry.firstReplyAt < this.windowMs) {
      entry.seq += 1;
      return entry.seq;
    }
    this.#next.delete(messageId);
    this.#next.set(messageId, { seq: 1, firstReplyAt: now });
    this.#evict(now);
    return 1;
  }

  /** Number of inbound messages tracked. */
  public get size(): number {
    return this.#next.size;
  }

  #evict(now: number): void {
    // Map iteration follows insertion order, so expired and excess entries are at the front.
    for (const [id, entry] of this.#next) {
      if (this.#next.size <= this.capacity && now - entry.firstReplyAt < this.windowMs) break;
      this.#next.delete(id);
    }
  }
}
