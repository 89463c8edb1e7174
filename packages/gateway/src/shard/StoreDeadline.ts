import { GatewayError } from '../errors/GatewayError.js';
import type { SessionStore } from '../session/SessionStore.js';

/** One kind of session store call a shard waits for, as its report names it. */
export interface StoreCall {
  /** The store method the call comes down to. */
  readonly method: keyof SessionStore;
  /** What the shard wanted from it. */
  readonly purpose: string;
  /** What the shard does instead when it does not answer in time. */
  readonly otherwise: string;
}

/** The session store calls a shard waits for. */
export const STORE_CALLS = {
  load: { method: 'get', purpose: 'reading the stored session', otherwise: 'identifying' },
  forget: {
    method: 'delete',
    purpose: 'forgetting the invalidated session',
    otherwise: 'going on without it',
  },
  forgetOnClose: {
    method: 'delete',
    purpose: 'forgetting the session on close',
    otherwise: 'closing without waiting for it',
  },
  writeOnClose: {
    method: 'set',
    purpose: 'writing the session on close',
    otherwise: 'closing without waiting for it',
  },
} as const satisfies Record<string, StoreCall>;

/** How long one wait may last, and what cuts it short. */
export interface StoreWaitLimits {
  /** The most to wait, in milliseconds; the shard's `timeouts.sessionStoreMs` by default. */
  ms?: number;
  /**
   * A stop under way: ends the wait at once, without a report (the shard is leaving anyway). The
   * call is made all the same.
   */
  stop?: AbortSignal;
}

/**
 * Bounds the shard's waits on its session store. A store is the user's code, often remote: one
 * that never answers must not hold `start()`, `close()` or a reconnect for ever. Past the limit
 * the shard goes the safe way without the answer (identify rather than resume, carry on rather
 * than wait), and reports which call did not answer.
 */
export class StoreDeadline {
  readonly #ms: number;
  readonly #shardId: number;
  readonly #report: (error: GatewayError) => void;

  /**
   * @param ms - the most one call is waited for, in milliseconds
   * @param shardId - whose store calls these are
   * @param report - receives a call that did not answer in time
   */
  public constructor(ms: number, shardId: number, report: (error: GatewayError) => void) {
    this.#ms = ms;
    this.#shardId = shardId;
    this.#report = report;
  }

  /**
   * Makes a store call and waits for it within the limits.
   *
   * @param call - which call it is, for the report
   * @param operation - makes the call; its signal aborts once the shard stops waiting, so a late
   *   answer can be ignored instead of applied
   * @param limits - the most to wait, and a stop that cuts the wait short
   * @returns `{ value }` once the call answered in time; `undefined` when the limit passed or a stop came first
   * @throws what the call throws
   */
  public async wait<T>(
    call: StoreCall,
    operation: (abandoned: AbortSignal) => Promise<T>,
    limits: StoreWaitLimits = {},
  ): Promise<{ value: T } | undefined> {
    const { ms = this.#ms, stop } = limits;
    const abandoned = new AbortController();
    const answer = await new Promise<{ value: T } | undefined>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        stop?.removeEventListener('abort', giveUp);
      };
      const giveUp = (): void => {
        settle();
        resolve(undefined);
      };
      const timer = setTimeout(giveUp, ms);
      stop?.addEventListener('abort', giveUp, { once: true });
      // Made even under a stop already asked for: the call still goes out, only the wait is skipped.
      if (stop?.aborted) giveUp();
      operation(abandoned.signal).then(
        (value) => {
          settle();
          resolve({ value });
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
    if (answer !== undefined) return answer;
    abandoned.abort();
    if (!stop?.aborted) {
      this.#report(
        new GatewayError(
          `the session store did not answer ${call.method} (${call.purpose}) within ${ms} ms; ${call.otherwise}`,
          this.#shardId,
        ),
      );
    }
    return undefined;
  }
}
