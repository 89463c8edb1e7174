import type { DispatchPayload } from '@bot/gateway';

/** One event on its way downstream. */
export interface ForwardedEvent {
  /** The shard that read it. */
  shardId: number;
  /** The session it belongs to, whose sequence numbers `payload.s` counts. */
  sessionId: string | undefined;
  /** The dispatch as the platform sent it, known to this framework or not. */
  payload: DispatchPayload;
}

/**
 * Hands one event to the downstream service; resolves once the downstream confirmed it (has it
 * stored, say), rejects when it did not, and the event is then offered again. A rejection whose
 * error has `permanent: true` says the downstream will refuse this event however often it comes
 * (a 400, a 413): after `maxRefusals` of those the queue gives the event up to its dead-letter
 * hook. `signal` aborts when the queue closes; the forward under way then counts as unconfirmed.
 */
export type Downstream = (event: ForwardedEvent, signal: AbortSignal) => Promise<void>;

/** What the queue holds back and lets go: the manager's `pause`/`resume`. */
export interface ReadingControl {
  /**
   * Stops the shard's reading under `holder`. It must take effect before the next event is
   * emitted (an in-process shard's does); the queue's bound relies on it.
   */
  pause(shardId: number, holder: string): void;
  /** Lifts `holder`'s pause of the shard; the shard reads again once no other holder is left. */
  resume(shardId: number, holder: string): void;
}

/** True when a downstream's rejection says it will refuse the event every time (see {@link Downstream}). */
export function isPermanentRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

/** How a {@link ForwardQueue} behaves. */
export interface ForwardQueueOptions {
  /** Where events go. */
  downstream: Downstream;
  /** The shards' reading: paused at the high mark, resumed at the low mark. */
  reading: ReadingControl;
  /** Events queued for one shard at which its reading pauses. */
  highMark: number;
  /** Events queued for one shard at which its reading resumes (below `highMark`). */
  lowMark: number;
  /** Hears of every event the downstream confirmed, in each shard's order. */
  onConfirmed: (event: ForwardedEvent) => void;
  /**
   * Hears of a failed forward, before it is tried again, and of a listener that threw. What it
   * throws is ignored: a listener never stops the queue.
   */
  onError: (error: unknown, event: ForwardedEvent) => void;
  /**
   * Takes an event the downstream refused permanently `maxRefusals` times in a row (keep it in a
   * file or a table for a person to look at). Once it resolves the shard's queue moves on and the
   * event counts as confirmed; while it throws, the event stays at the head and is offered again.
   */
  onDeadLetter: (event: ForwardedEvent, error: unknown) => void | Promise<void>;
  /** Permanent refusals of one event after which it goes to `onDeadLetter` (3 by default). */
  maxRefusals?: number | undefined;
  /**
   * Wait before offering a refused event again, doubling up to `8 ×` (250 ms by default). Network
   * failures and refusals not marked permanent (a 5xx, a timeout) are retried without limit.
   */
  retryDelayMs?: number;
}

/** Name the queue pauses shards under, so it never lifts a pause someone else holds. */
const HOLDER = 'forward-queue';

/** One shard's events, forwarded one at a time in the order read. */
interface Lane {
  events: ForwardedEvent[];
  forwarding: boolean;
  paused: boolean;
  peak: number;
  /** Permanent refusals of the head event in a row. */
  refusals: number;
}

/**
 * A bounded forward queue per shard. A shard emits events as fast as the platform sends them; a
 * slower downstream would let them pile up in this process without limit (and lose all of them in a
 * crash). So each shard has its own queue: once it holds `highMark` events the shard stops reading
 * (`manager.pause(id, holder)`: unread events wait in the socket and on the platform's side,
 * heartbeats go on), and once the downstream has brought it down to `lowMark` it reads again. The
 * gap between the marks keeps a shard from pausing and resuming on every event. A shard's queue
 * holds at most `highMark` events as long as a pause stops the shard before its next event, as it
 * does for shards in this process (not for shards on worker threads: see GatewayProxy.ts).
 *
 * Events of a shard go downstream one at a time, in order, and each is confirmed before the next
 * goes, so "confirmed up to seq N" means every event up to N (see ConfirmedSeqStore.ts).
 * Shards do not wait for each other.
 */
export class ForwardQueue {
  readonly #options: ForwardQueueOptions;
  readonly #lanes = new Map<number, Lane>();
  #closed = false;
  readonly #idleWaiters = new Set<() => void>();
  /** Retry waits under way, each with what ends it early (a close). */
  readonly #retryWaits = new Map<NodeJS.Timeout, () => void>();
  /** Aborts the forwards under way when the queue closes. */
  readonly #closing = new AbortController();

  /**
   * @param options - downstream, reading control, marks and listeners
   * @throws RangeError when the marks do not satisfy `0 <= lowMark < highMark`, or `maxRefusals`
   *   is not a positive integer
   */
  public constructor(options: ForwardQueueOptions) {
    const { highMark, lowMark, maxRefusals = 3 } = options;
    if (!Number.isInteger(highMark) || !Number.isInteger(lowMark) || lowMark < 0 || lowMark >= highMark) {
      throw new RangeError(
        `forward queue marks must be integers with 0 <= lowMark < highMark; got lowMark ${lowMark}, highMark ${highMark}`,
      );
    }
    if (!Number.isInteger(maxRefusals) || maxRefusals < 1) {
      throw new RangeError(`forward queue maxRefusals must be a positive integer; got ${maxRefusals}`);
    }
    this.#options = options;
  }

  /** Events waiting or under way, over every shard. */
  public get size(): number {
    let size = 0;
    for (const lane of this.#lanes.values()) size += lane.events.length;
    return size;
  }

  /** Events of `sessionId` waiting or under way in the shard's queue. */
  public queued(shardId: number, sessionId: string): number {
    return this.#lanes.get(shardId)?.events.filter((event) => event.sessionId === sessionId).length ?? 0;
  }

  /** Events queued for one shard at which its reading pauses: the most one shard's queue holds. */
  public get highMark(): number {
    return this.#options.highMark;
  }

  /** The most events one shard's queue has held at once. */
  public get peak(): number {
    return Math.max(0, ...[...this.#lanes.values()].map((lane) => lane.peak));
  }

  /** Queues an event a shard emitted; pauses the shard's reading at the high mark. */
  public push(event: ForwardedEvent): void {
    if (this.#closed) return;
    const lane = this.#lane(event.shardId);
    lane.events.push(event);
    lane.peak = Math.max(lane.peak, lane.events.length);
    if (!lane.paused && lane.events.length >= this.#options.highMark) {
      lane.paused = true;
      this.#options.reading.pause(event.shardId, HOLDER);
    }
    void this.#forward(event.shardId, lane);
  }

  /**
   * Waits until every queued event was confirmed, for at most `timeoutMs`; the caller has paused
   * reading first, so the queue only shrinks. Then stops forwarding: what is left was not confirmed,
   * so the session store still resumes before it.
   *
   * @returns how many events were left unconfirmed (0 when the queue emptied in time)
   */
  public async drain(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    let waiter: (() => void) | undefined;
    try {
      await new Promise<void>((resolve) => {
        if (this.size === 0) return resolve();
        waiter = resolve;
        this.#idleWaiters.add(resolve);
        timer = setTimeout(resolve, timeoutMs);
      });
    } finally {
      clearTimeout(timer);
      if (waiter) this.#idleWaiters.delete(waiter);
      this.close();
    }
    return this.size;
  }

  /**
   * Stops forwarding at once; later pushes are ignored. A forward under way is cut, not waited for:
   * its signal aborts and its answer, whenever it comes, confirms nothing, so no confirmation
   * reaches the store after this returns. Nothing is lost: the session store resumes before every
   * event that was not confirmed (the downstream may see a cut one again).
   */
  public close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    for (const [timer, end] of this.#retryWaits) {
      clearTimeout(timer);
      end();
    }
    this.#retryWaits.clear();
  }

  #lane(shardId: number): Lane {
    let lane = this.#lanes.get(shardId);
    if (lane === undefined) {
      lane = { events: [], forwarding: false, paused: false, peak: 0, refusals: 0 };
      this.#lanes.set(shardId, lane);
    }
    return lane;
  }

  /** Forwards the shard's queue head first until it is empty or the queue is closed. */
  async #forward(shardId: number, lane: Lane): Promise<void> {
    if (lane.forwarding) return;
    lane.forwarding = true;
    const baseDelayMs = this.#options.retryDelayMs ?? 250;
    const maxRefusals = this.#options.maxRefusals ?? 3;
    let delayMs = baseDelayMs;
    try {
      while (!this.#closed && lane.events.length > 0) {
        const event = lane.events[0] as ForwardedEvent;
        try {
          await this.#options.downstream(event, this.#closing.signal);
        } catch (error) {
          if (this.#closed) break;
          this.#report(error, event);
          if (isPermanentRefusal(error) && ++lane.refusals >= maxRefusals) {
            try {
              await this.#options.onDeadLetter(event, error);
            } catch (deadLetterError) {
              // Kept at the head: an event is only let go once something holds it.
              this.#report(deadLetterError, event);
              await this.#sleep(delayMs);
              delayMs = Math.min(delayMs * 2, baseDelayMs * 8);
              continue;
            }
            if (this.#closed) break;
          } else {
            await this.#sleep(delayMs);
            delayMs = Math.min(delayMs * 2, baseDelayMs * 8);
            continue;
          }
        }
        // Cut at close: the answer came too late to count (see close()).
        if (this.#closed) break;
        delayMs = baseDelayMs;
        lane.refusals = 0;
        lane.events.shift();
        try {
          this.#options.onConfirmed(event);
        } catch (error) {
          this.#report(error, event);
        }
        if (lane.paused && lane.events.length <= this.#options.lowMark) {
          lane.paused = false;
          // Throws only for a shard that no longer runs here, whose reading is then moot.
          try {
            this.#options.reading.resume(shardId, HOLDER);
          } catch (error) {
            this.#report(error, event);
          }
        }
      }
    } finally {
      lane.forwarding = false;
      if (this.size === 0) for (const idle of this.#idleWaiters) idle();
    }
  }

  /** Tells `onError`; a listener that throws is ignored, since nothing else could hear of it. */
  #report(error: unknown, event: ForwardedEvent): void {
    try {
      this.#options.onError(error, event);
    } catch {
      // The queue goes on regardless.
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#retryWaits.delete(timer);
        resolve();
      }, ms);
      this.#retryWaits.set(timer, resolve);
    });
  }
}
