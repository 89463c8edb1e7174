/**
 * First in, first out, in a ring that doubles when full: constant-time `push` and `shift`, and no
 * allocation once it has grown to the backlog it sees. (`Array#shift` moves every remaining
 * element, which turns a backlog of thousands of events into quadratic work.) Taken items are
 * cleared, so the queue keeps nothing alive that it no longer holds.
 */
export class FifoQueue<T> {
  #ring: Array<T | undefined> = new Array<T | undefined>(16);
  #head = 0;
  #length = 0;

  /** Items waiting. */
  public get length(): number {
    return this.#length;
  }

  /** Adds `item` at the back. */
  public push(item: T): void {
    if (this.#length === this.#ring.length) this.#grow();
    this.#ring[(this.#head + this.#length) & (this.#ring.length - 1)] = item;
    this.#length += 1;
  }

  /** The item at the front, left in place; `undefined` when empty. */
  public peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#ring[this.#head];
  }

  /** Takes the item at the front; `undefined` when empty. */
  public shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#ring[this.#head];
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#ring.length - 1);
    this.#length -= 1;
    return item;
  }

  /** Doubles the ring (its size stays a power of two), unrolling it so the front is at 0. */
  #grow(): void {
    const ring = new Array<T | undefined>(this.#ring.length * 2);
    for (let index = 0; index < this.#length; index++)
      ring[index] = this.#ring[(this.#head + index) & (this.#ring.length - 1)];
    this.#ring = ring;
    this.#head = 0;
  }
}
