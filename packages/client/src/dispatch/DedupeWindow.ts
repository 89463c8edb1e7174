import { fingerprint, type Fingerprint } from './fingerprint.js';

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
 * Why two arrays per generation: almost every id is new, and proving it new means probing both
 * generations. Probing the fingerprints themselves (8 bytes a slot, 256 KiB at the default
 * capacity) missed the CPU caches twice per event. So a slot holds only the top bits of its
 * fingerprint (the tag: 18 bits at the default capacity) and the position of the whole of it in
 * its generation's log, and a fingerprint is read only when its tag matches or a repeat is found.
 * The log is written in order, each fingerprint beside the one before. The layout before this one,
 * one-byte tags (16 KiB a generation) beside the fingerprints in slot order, probed less memory but
 * wrote each new fingerprint to a random place of 128 KiB, which the frame's parse had pushed out
 * of the caches: a miss on every event. With 4-byte slots (64 KiB a generation) and the log, the
 * ingest mix through the dispatcher (in process, 21 paired rounds, each version loaded first once
 * and second once, as the one loaded second runs up to ~20 ns faster): 17–40 ns less per event in
 * three runs of four, 10 ns more in one; the gain grows with the cache pressure of the host.
 */
export class DedupeWindow {
  readonly #capacity: number;
  /** Slots per generation minus one (slots are a power of two, at most about 2/3 full). */
  readonly #mask: number;
  /** Low bits of a slot that hold the position in the log; the bits above hold the tag. */
  readonly #positionBits: number;
  /** `2^positionBits − 1`: the position bits of a slot. */
  readonly #positionMask: number;
  /** Slot `i`: 0 when empty, otherwise `tag << positionBits | position` (the tag is never 0). */
  #currentSlots: Uint32Array;
  /** Fingerprints in the order they were remembered: `[2p]` high, `[2p + 1]` low. */
  #currentLog: Uint32Array;
  #previousSlots: Uint32Array;
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
    // Room for positions 0 … capacity − 1, and at least one bit left for the tag.
    this.#positionBits = Math.min(31, 32 - Math.clz32(this.#capacity - 1));
    this.#positionMask = 2 ** this.#positionBits - 1;
    this.#currentSlots = new Uint32Array(slots);
    this.#currentLog = new Uint32Array(this.#capacity * 2);
    this.#previousSlots = new Uint32Array(slots);
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
    const tag = high >>> this.#positionBits || 1;
    const probe = this.#find(this.#currentSlots, this.#currentLog, tag, high, low);
    if (probe >= 0) return true;
    if (this.#previousCount > 0 && this.#find(this.#previousSlots, this.#previousLog, tag, high, low) >= 0)
      return true;
    let slot = ~probe;
    if (this.#currentCount >= this.#capacity) {
      // The older generation's log needs no clearing: a position no slot holds is never read.
      const clearedSlots = this.#previousSlots.fill(0);
      const reusedLog = this.#previousLog;
      this.#previousSlots = this.#currentSlots;
      this.#previousLog = this.#currentLog;
      this.#previousCount = this.#currentCount;
      this.#currentSlots = clearedSlots;
      this.#currentLog = reusedLog;
      this.#currentCount = 0;
      slot = (low ^ high) & this.#mask; // the id's first choice: every slot is empty now
    }
    const position = this.#currentCount;
    this.#currentSlots[slot] = (tag << this.#positionBits) | position;
    this.#currentLog[position * 2] = high;
    this.#currentLog[position * 2 + 1] = low;
    this.#currentCount = position + 1;
    return false;
  }

  /** Number of ids remembered (up to twice `capacity` once the window has filled). */
  public get size(): number {
    return this.#currentCount + this.#previousCount;
  }

  /** The slot holding `high/low`, or `~slot` of the empty slot where it would go (linear probing). */
  #find(slots: Uint32Array, log: Uint32Array, tag: number, high: number, low: number): number {
    const positionBits = this.#positionBits;
    let slot = (low ^ high) & this.#mask; // same first choice as after a rotation in `check`
    for (;;) {
      const stored = slots[slot]!;
      if (stored === 0) return ~slot;
      if (stored >>> positionBits === tag) {
        const position = stored & this.#positionMask;
        if (log[position * 2] === high && log[position * 2 + 1] === low) return slot;
      }
      slot = (slot + 1) & this.#mask;
    }
  }
}
