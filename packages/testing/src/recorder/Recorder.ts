import { EmulatorError } from '../EmulatorError.js';
import { withoutCredentials } from './maskCredential.js';
import type { EmulatorRecord, NewRecord } from './records.js';
import { messageOf } from '@bot/core';

/** Options of {@link Recorder.waitFor}. */
export interface WaitOptions {
  /** Milliseconds before the wait fails (default 5000). Under fake timers, advance the clock past it. */
  timeout?: number | undefined;
  /** Only consider records whose index is at least this (see {@link Recorder.mark}). */
  from?: number | undefined;
  /**
   * Gives up the wait when aborted: the promise rejects with the signal's `reason` (an
   * `AbortError` unless the caller gave another), as `fetch` does. Already aborted, it rejects at once.
   */
  signal?: AbortSignal | undefined;
}

/** A pending wait: `offer` returns true once the wait is satisfied and can be dropped. */
interface Waiter {
  offer(record: EmulatorRecord): boolean;
}

/**
 * Everything the bot sent (REST calls, gateway frames, token requests), what the emulator sent
 * back on the gateway and to the webhook, and connection opens/closes — with helpers to wait for
 * a record to appear.
 */
export class Recorder {
  readonly #records: EmulatorRecord[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<(record: EmulatorRecord) => void>();
  readonly #limit: number;
  readonly #onListenerError: (error: unknown) => void;
  #next = 0;

  /**
   * @param limit how many records to keep; the oldest are dropped beyond it.
   * @param onListenerError where an {@link Recorder.onRecord} listener's exception goes (default:
   *   a process warning); the emulator logs it as an internal error.
   */
  constructor(limit = 50_000, onListenerError: (error: unknown) => void = warnListenerError) {
    this.#limit = limit;
    this.#onListenerError = onListenerError;
  }

  /** The records still held, oldest first. */
  get records(): readonly EmulatorRecord[] {
    return this.#records;
  }

  /** Appends a record (access tokens in gateway frames masked) and wakes the waiters it satisfies. */
  add(record: NewRecord): EmulatorRecord {
    const full = { ...withoutCredentials(record), index: this.#next++, at: Date.now() } as EmulatorRecord;
    this.#records.push(full);
    if (this.#records.length > this.#limit) this.#records.splice(0, this.#records.length - this.#limit);
    for (const waiter of [...this.#waiters]) {
      if (waiter.offer(full)) this.#waiters.delete(waiter);
    }
    for (const listener of [...this.#listeners]) {
      // A listener is an observer: its failure is reported, and must not break the request being recorded.
      try {
        listener(full);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
    return full;
  }

  /**
   * Calls `listener` with every record added from now on (a live log of the traffic); what a
   * listener throws goes to the recorder's `onListenerError`. Returns the function that stops it.
   */
  onRecord(listener: (record: EmulatorRecord) => void): () => void {
    const entry = (record: EmulatorRecord): void => listener(record);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  /** The index the next record will get: pass it as `from` to wait only for later records. */
  mark(): number {
    return this.#next;
  }

  /** The records matching a predicate. */
  filter<R extends EmulatorRecord>(predicate: (record: EmulatorRecord) => record is R): R[];
  filter(predicate: (record: EmulatorRecord) => boolean): EmulatorRecord[];
  filter(predicate: (record: EmulatorRecord) => boolean): EmulatorRecord[] {
    return this.#records.filter(predicate);
  }

  /** Forgets every record held so far (indices keep increasing). */
  clear(): void {
    this.#records.length = 0;
  }

  /**
   * Resolves with the first record (already held or still to come) matching `predicate`;
   * rejects with an {@link EmulatorError} after `timeout` ms, or with the signal's reason once
   * `signal` aborts.
   */
  waitFor<R extends EmulatorRecord>(
    predicate: (record: EmulatorRecord) => record is R,
    options?: WaitOptions,
  ): Promise<R>;
  waitFor(predicate: (record: EmulatorRecord) => boolean, options?: WaitOptions): Promise<EmulatorRecord>;
  async waitFor(
    predicate: (record: EmulatorRecord) => boolean,
    options: WaitOptions = {},
  ): Promise<EmulatorRecord> {
    const [first] = await this.waitForCount(predicate, 1, options);
    if (!first) throw new EmulatorError('waitFor resolved without a record');
    return first;
  }

  /**
   * Resolves with the first `count` records matching `predicate` (held or still to come); fails
   * like {@link Recorder.waitFor}.
   */
  waitForCount<R extends EmulatorRecord>(
    predicate: (record: EmulatorRecord) => record is R,
    count: number,
    options?: WaitOptions,
  ): Promise<R[]>;
  waitForCount(
    predicate: (record: EmulatorRecord) => boolean,
    count: number,
    options?: WaitOptions,
  ): Promise<EmulatorRecord[]>;
  waitForCount(
    predicate: (record: EmulatorRecord) => boolean,
    count: number,
    options: WaitOptions = {},
  ): Promise<EmulatorRecord[]> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const from = options.from ?? 0;
    const timeout = options.timeout ?? 5000;
    const matches = (record: EmulatorRecord): boolean => record.index >= from && safeMatch(predicate, record);
    const found = this.#records.filter(matches).slice(0, count);
    if (found.length >= count) return Promise.resolve(found);

    return new Promise((resolve, reject) => {
      // Every way out (enough records, the timeout, an abort) drops the waiter, its timer and its
      // abort listener, so a long-lived signal does not keep finished waits alive.
      const settle = (): void => {
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        settle();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        settle();
        reject(
          new EmulatorError(
            `waitFor: ${found.length} of ${count} matching records after ${timeout} ms (${this.#summary()})`,
          ),
        );
      }, timeout);
      const waiter: Waiter = {
        offer: (record) => {
          if (!matches(record)) return false;
          found.push(record);
          if (found.length < count) return false;
          settle();
          resolve(found);
          return true;
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #summary(): string {
    const counts = new Map<string, number>();
    for (const record of this.#records) counts.set(record.kind, (counts.get(record.kind) ?? 0) + 1);
    const parts = [...counts].map(([kind, n]) => `${kind}: ${n}`);
    return parts.length > 0 ? `recorded ${parts.join(', ')}` : 'nothing recorded';
  }
}

/** A throwing predicate counts as "no match" instead of breaking the emulator. */
function safeMatch(predicate: (record: EmulatorRecord) => boolean, record: EmulatorRecord): boolean {
  try {
    return predicate(record);
  } catch {
    return false;
  }
}

function warnListenerError(error: unknown): void {
  process.emitWarning(`a recorder listener threw: ${messageOf(error)}`);
}
