import { msUntil, steadyNow } from '@bot/core';

/**
 * The wait for the platform's first answer to an Identify or a Resume, bounded: a gateway that
 * acknowledges heartbeats but never answers would otherwise hold the shard where it is for good.
 * The clock stops while reading is paused, since an answer may then sit unread in the socket, and
 * runs out the time left once reading resumes. The time left is read on the steady clock, which the
 * wall clock's steps do not move.
 */
export class AnswerDeadline {
  readonly #ms: number;
  readonly #expired: () => void;
  #timer: NodeJS.Timeout | undefined;
  /** When the running timer fires, on the steady clock. */
  #dueAt = 0;
  /** Time left when reading paused, or the whole wait when the frame went out during a pause. */
  #leftMs: number | undefined;
  #paused = false;
  /** From {@link AnswerDeadline.start} until the answer, the expiry or {@link AnswerDeadline.clear}. */
  public waiting = false;

  /**
   * @param ms - the most to wait for the answer, in milliseconds
   * @param expired - called once when the wait ran out
   */
  public constructor(ms: number, expired: () => void) {
    this.#ms = ms;
    this.#expired = expired;
  }

  /** The Identify or Resume went out: the wait begins (or waits itself for reading to resume). */
  public start(): void {
    this.waiting = true;
    if (this.#paused) this.#leftMs = this.#ms;
    else this.#arm(this.#ms);
  }

  /** Reading paused: the clock stops, keeping the time left. */
  public pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#leftMs = msUntil(this.#dueAt);
  }

  /** Reading resumed: the clock runs out the time left. Call before held frames are read. */
  public resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    const left = this.#leftMs;
    this.#leftMs = undefined;
    if (this.waiting && left !== undefined) this.#arm(left);
  }

  /** The answer came, or the attempt ended: no expiry any more. */
  public clear(): void {
    this.waiting = false;
    this.#leftMs = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#dueAt = steadyNow() + ms;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.waiting = false;
      this.#expired();
    }, ms);
  }
}
