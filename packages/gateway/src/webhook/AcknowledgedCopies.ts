import { createHash } from 'node:crypto';

/**
 * The signed messages (timestamp and body) of deliveries without an event id that a receiver
 * acknowledged recently, so that a copy of one is acknowledged again without being emitted: the
 * client's duplicate filter keys on the event id, which such a delivery lacks.
 *
 * Keyed on the signed message, not the body alone: nothing makes an event's body unique (a
 * reaction added, removed and added again is delivered as the same bytes twice), so two
 * deliveries alike in body are taken for one only when they were also signed in the same second.
 * A copy the platform signs anew is therefore emitted again, as before.
 *
 * Each entry is kept until a copy of it would be refused anyway, its timestamp being out of the
 * window (the signature timestamp plus the tolerance), and at most `capacity` entries are kept,
 * the oldest forgotten first: a copy arriving after that is emitted again, as before.
 */
export class AcknowledgedCopies {
  readonly #capacity: number;
  readonly #toleranceMs: number;
  /** Digest of the signed message → when a copy of it stops passing the timestamp check, in ms. */
  readonly #until = new Map<string, number>();

  /**
   * @param capacity - most signed messages kept at once
   * @param toleranceSeconds - the receiver's timestamp tolerance: how long a copy can still pass
   */
  public constructor(capacity: number, toleranceSeconds: number) {
    this.#capacity = capacity;
    this.#toleranceMs = toleranceSeconds * 1000;
  }

  /** Signed messages kept now. */
  public get size(): number {
    return this.#until.size;
  }

  /**
   * The key of a signed message: a SHA-256 digest of it as signed, the timestamp's digits then the
   * body (a JSON object, which starts with no digit, so no two pairs make one message), so that a
   * large body costs no memory here.
   *
   * @param timestamp - the `X-Signature-Timestamp` header, as signed
   * @param body - the raw body, as signed
   */
  public static keyOf(timestamp: string, body: Buffer): string {
    return createHash('sha256').update(timestamp, 'latin1').update(body).digest('base64');
  }

  /**
   * Whether the signed message of `key` was acknowledged and can still arrive again.
   *
   * @param key - from {@link AcknowledgedCopies.keyOf}
   * @param nowMs - the receiver's clock
   */
  public has(key: string, nowMs: number): boolean {
    const until = this.#until.get(key);
    return until !== undefined && nowMs <= until;
  }

  /**
   * Keeps `key` as acknowledged, and forgets what can no longer arrive again or is beyond the
   * capacity.
   *
   * @param key - from {@link AcknowledgedCopies.keyOf}
   * @param timestamp - the unix seconds it was signed at
   * @param nowMs - the receiver's clock
   */
  public acknowledged(key: string, timestamp: number, nowMs: number): void {
    const until = timestamp * 1000 + this.#toleranceMs;
    if (nowMs > until) return;
    this.#until.delete(key);
    this.#until.set(key, until);
    // Entries come in roughly in timestamp order: expired ones gather at the front. One stuck
    // behind a later-expiring entry waits there, still bounded by the capacity.
    for (const [oldest, oldestUntil] of this.#until) {
      if (oldestUntil >= nowMs && this.#until.size <= this.#capacity) break;
      this.#until.delete(oldest);
    }
  }
}
