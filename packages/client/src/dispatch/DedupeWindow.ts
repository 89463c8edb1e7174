import { fingerprint, type Fingerprint } from './fingerprint.js';

/** A slot's log position: two bytes while a generation holds at most 65,536 ids, else four. */
type Positions = Uint16Array | Uint32Array;

/**
 * Remembers recent event ids, to drop an event the platform delivers twice.
 *
 * Bounded and flat: ids are kept as 64-bit fingerprints in two generations of at most `capacity`
 * each, in typed arrays. When the newer one is full, the older one is cleared and becomes the
 * newer. A repeat is caught as long as fewer than `capacity` other ids arrived in between.
 *
 * Why fingerprints and not a `Set` of the ids: a long-lived `Set` sits in the old heap generation,
 * and every young id string stored into it is a pointer the garbage collector must track, copy and
 * eventually promote; on a busy shard that cost more than everything else the client does with an
 * event. Numbers in a typed array are no pointers at all. The price is that two different ids may
 * share a fingerprint: about one chance in 2^64 per event and remembered id, that is one dropped
 * event in 10^15 at the default capacity.
 *
 * Why a one-byte tag per slot, a position and a log: almost every id is new, and proving it new
 * means probing both generations, after the frame's parse has pushed most of the window out of the
 * CPU caches. Probing the fingerprints themselves (8 bytes a slot, 256 KiB at the default
 * capacity) missed the caches twice per event. The tags (16 KiB a generation) are what a probe
 * reads; a fingerprint is read only when its tag matches (one probe in 255) or a repeat is found,
 * found through the slot's position in its generation's log. The log is written in order, each
 * fingerprint beside the one before: the layout before this one wrote it in slot order, to a random
 * place of 128 KiB, a cache miss on every event. A slot's position is written at random too, but
 * into 32 KiB. The ingest mix through the dispatcher, in process (21 paired rounds, each layout
 * loaded both first and second, as the one loaded second runs up to ~20 ns faster): the log with
 * 4-byte slots holding tag and position took 17–40 ns less per event than slot order in three runs
 * of four; this one 6–17 ns less again.
 */
export class DedupeWindow {
  readonly #capacity: number;
  /** Slots per generation minus one (slots are a power of two, at most about 2/3 full). */
  readonly #mask: number;
  /** Slot `i`'s tag: 0 when empty, otherwise 1–255 from the top byte of its fingerprint. */
  #currentTags: Uint8Array;
  /** Slot `i`'s fingerprint is at `[2p]` (high) and `[2p + 1]` (low) of the log, `p` its position. */
  #currentPositions: Positions;
  /** Fingerprints in the order they were remembered. */
  #currentLog: Uint32Array;
  #previousTags: Uint8Array;
  #previousPositions: Positions;
  #previousLog: Uint32Array;
  #currentCount = 0;
  #previousCount = 0;
  readonly #print: Fingerprint = { high: 0, low: 0 };

  /** @param capacity - how many recent ids are remembered at least (10,000 by default) */
  public constructor(capacity = 10_000) {
    this.#capacity = Math.max(1, Math.floor(capacity));
    let slots = 2;
    while (slots < this.#capacity * 1.5) slots *= 2;
    this.#mask = slots - 1;
    const positions = (): Positions =>
      this.#capacity <= 0x10000 ? new Uint16Array(slots) : new Uint32Array(slots);
    this.#currentTags = new Uint8Array(slots);
    this.#currentPositions = positions();
    this.#currentLog = new Uint32Array(this.#capacity * 2);
    this.#previousTags = new Uint8Array(slots);
    this.#previousPositions = positions();
    this.#previousLog = new Uint32Array(this.#capacity * 2);
  }

  /**
   * Records `id` and reports whether it was already seen. Only a string is an id: any other value
   * (a number or boolean from a source that did not check its input) is never a repeat and is not
   * remembered: the fingerprint reads string characters, so every such value would look alike.
   *
   * @param id - the event id (`id` of the payload envelope)
   * @returns `true` when `id` is a repeat
   */
  public check(id: unknown): boolean {
    if (typeof id !== 'string') return false;
    fingerprint(id, this.#print);
    const { high, low } = this.#print;
    const tag = high >>> 24 || 1;
    const probe = this.#find(this.#currentTags, this.#currentPositions, this.#currentLog, tag, high, low);
    if (probe >= 0) return true;
    if (
      this.#previousCount > 0 &&
      this.#find(this.#previousTags, this.#previousPositions, this.#previousLog, tag, high, low) >= 0
    )
      return true;
    let slot = ~probe;
    if (this.#currentCount >= this.#capacity) {
      // The older generation's positions and log need no clearing: an untagged slot is never read.
      const clearedTags = this.#previousTags.fill(0);
      const reusedPositions = this.#previousPositions;
      const reusedLog = this.#previousLog;
      this.#previousTags = this.#currentTags;
      this.#previousPositions = this.#currentPositions;
      this.#previousLog = this.#currentLog;
      this.#previousCount = this.#currentCount;
      this.#currentTags = clearedTags;
      this.#currentPositions = reusedPositions;
      this.#currentLog = reusedLog;
      this.#currentCount = 0;
      slot = (low ^ high) & this.#mask; // the id's first choice: every slot is empty now
    }
    const position = this.#currentCount;
    this.#currentTags[slot] = tag;
    this.#currentPositions[slot] = position;
    this.#currentLog[position * 2] = high;
    this.#currentLog[position * 2 + 1] = low;
    this.#currentCount = position + 1;
    return false;
  }

  /**
   * Forgets `id`, so that it is no repeat the next time it comes: for an event a shutdown gave up
   * on, whose sender was told to deliver it again. Never called per event. Its slot stays taken
   * (the ids probed past it must still be found) but can no longer match: its fingerprint's high
   * word gets a top byte that no fingerprint with the slot's tag has. The slot is not reused, so
   * the generation still turns over after `capacity` ids, as if it had not been forgotten.
   *
   * @param id - the event id; anything but a string, or an id not remembered, changes nothing
   */
  public forget(id: unknown): void {
    if (typeof id !== 'string') return;
    fingerprint(id, this.#print);
    const { high, low } = this.#print;
    const tag = high >>> 24 || 1;
    for (const [tags, positions, log] of [
      [this.#currentTags, this.#currentPositions, this.#currentLog],
      [this.#previousTags, this.#previousPositions, this.#previousLog],
    ] as const) {
      const slot = this.#find(tags, positions, log, tag, high, low);
      if (slot < 0) continue;
      // Tag t stands for top bytes t (and 0 for t = 1); t ^ 0x80 is neither.
      log[positions[slot]! * 2] = ((tag ^ 0x80) << 24) >>> 0;
      return;
    }
  }

  /** Number of ids remembered (up to twice `capacity` once the window has filled). */
  public get size(): number {
    return this.#currentCount + this.#previousCount;
  }

  /** The slot holding `high/low`, or `~slot` of the empty slot where it would go (linear probing). */
  #find(
    tags: Uint8Array,
    positions: Positions,
    log: Uint32Array,
    tag: number,
    high: number,
    low: number,
  ): number {
    let slot = (low ^ high) & this.#mask; // same first choice as after a rotation in `check`
    for (;;) {
      const stored = tags[slot]!;
      if (stored === 0) return ~slot;
      if (stored === tag) {
        const position = positions[slot]!;
        if (log[position * 2] === high && log[position * 2 + 1] === low) return slot;
      }
      slot = (slot + 1) & this.#mask;
    }
  }
}
