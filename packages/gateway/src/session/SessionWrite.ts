import type { SessionInfo } from './SessionStore.js';
import type { SessionWriteOperation } from './SessionWriteTimeoutError.js';

/** What one write leaves in the store: this session, or none. */
export type SessionWriteIntent =
  | { readonly operation: Extract<SessionWriteOperation, 'set'>; readonly session: SessionInfo }
  | { readonly operation: Extract<SessionWriteOperation, 'delete'> };

/**
 * One write to the session store, from being asked for to being answered: what it leaves in the
 * store, which a newer state replaces as long as the write has not reached the store, and those
 * waiting for it. Waiters are let go when the store answers or when the write's deadline passes,
 * whichever comes first (the write itself goes on); a caller that bounds and reports its own wait
 * waits for the answer alone.
 */
export class SessionWrite {
  readonly #timeoutMs: number;
  readonly #late: (write: SessionWrite) => void;
  #intent: SessionWriteIntent;
  #reachedStore = false;
  #waiting: { promise: Promise<void>; release: () => void; deadline: NodeJS.Timeout } | undefined;
  #waitingForAnswer: { promise: Promise<void>; release: () => void } | undefined;

  /**
   * @param intent - what to leave in the store
   * @param timeoutMs - how long a waiter waits, in milliseconds
   * @param late - hears of a write its deadline passed before the store answered
   */
  public constructor(intent: SessionWriteIntent, timeoutMs: number, late: (write: SessionWrite) => void) {
    this.#intent = intent;
    this.#timeoutMs = timeoutMs;
    this.#late = late;
  }

  /** What the write leaves in the store. */
  public get intent(): SessionWriteIntent {
    return this.#intent;
  }

  /** Whether the store was asked already (the intent no longer changes). */
  public get reachedStore(): boolean {
    return this.#reachedStore;
  }

  /** Writes `intent` instead of what was asked before: it is newer. Only before the store is asked. */
  public replace(intent: SessionWriteIntent): void {
    if (this.#reachedStore) throw new Error('a write the store was asked for cannot change');
    this.#intent = intent;
  }

  /** The store is asked now: from here on the intent stays as it is. */
  public started(): void {
    this.#reachedStore = true;
  }

  /**
   * Waits for the store's answer, for at most the deadline (a wait already under way keeps its own).
   *
   * @returns settles when the store answered or the deadline passed; never rejects
   */
  public wait(): Promise<void> {
    if (this.#waiting !== undefined) return this.#waiting.promise;
    const { promise, release } = releasable();
    const deadline = setTimeout(() => {
      this.#release();
      this.#late(this);
    }, this.#timeoutMs);
    deadline.unref();
    this.#waiting = { promise, release, deadline };
    return promise;
  }

  /**
   * Waits for the store's answer with no deadline of the write's own: for a caller that bounds
   * its wait and reports an answer that does not come in time itself, so one late write is
   * reported once.
   *
   * @returns settles when the store answered; never rejects
   */
  public waitForAnswer(): Promise<void> {
    this.#waitingForAnswer ??= releasable();
    return this.#waitingForAnswer.promise;
  }

  /** Whether anyone waits for the store's answer. */
  public get awaited(): boolean {
    return this.#waiting !== undefined || this.#waitingForAnswer !== undefined;
  }

  /** Settles when the current waiters are let go; at once when none wait. */
  public idle(): Promise<void> {
    return this.#waiting?.promise ?? Promise.resolve();
  }

  /** The store answered: the waiters go, and the deadline with them. */
  public answered(): void {
    this.#release();
    this.#waitingForAnswer?.release();
    this.#waitingForAnswer = undefined;
  }

  #release(): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    this.#waiting = undefined;
    clearTimeout(waiting.deadline);
    waiting.release();
  }
}

function releasable(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}
