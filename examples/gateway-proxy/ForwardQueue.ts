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
 * stored, say), rejects when it did not, and the event is then offered again.
 */
export type Downstream = (event: ForwardedEvent) => Promise<void>;

/** What the queue holds back and lets go: the manager's `pause`/`resume`. */
export interface ReadingControl {
  pause(shardId: number, holder: string): void;
  resume(shardId: number, holder: string): void;
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
  /** Hears of a failed forward, before it is tried again. */
  onError: (error: unknown, event: ForwardedEvent) => void;
  /** Wait before offering a refused event again, doubling up to `8 ×` (250 ms by default). */
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
}

/**
 * A bounded forward queue per shard. A shard emits events as fast as the platform sends them; a
 * slower downstream would let them pile up in this process without limit (and lose all of them in a
 * crash). So each shard has its own queue: once it holds `highMark` events the shard stops reading
 * (`manager.pause(id, holder)`: unread events wait in the socket and on the platform's side,
 * heartbeats go on), and once the downstream has brought it down to `lowMark` it reads again. The
 * gap between the marks keeps a shard from pausing and resuming on every event.
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

  /**
   * @param options - downstream, reading control, marks and listeners
   * @throws RangeError when the marks do not satisfy `0 <= lowMark < highMark`
   */
  public constructor(options: ForwardQueueOptions) {
    const { highMark, lowMark } = options;
    if (!Number.isInteger(highMark) || !Number.isInteger(lowMark) || lowMark < 0 || lowMark >= highMark) {
      throw new RangeError(
        `forward queue marks must be integers with 0 <= lowMark < highMark; got lowMark ${lowMark}, highMark ${highMark}`,
      );
    }
    this.#options = options;
  }

  /** Events waiting or under way, over every shard. */
  public get size(): number {
    let size = 0;
    for (const lane of this.#lanes.values()) size += lane.events.length;
    return size;
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
   * Stops forwarding at once (an event under way may still be confirmed); later pushes are ignored.
   * Nothing is lost: the session store resumes before every event that was not confirmed.
   */
  public close(): void {
    this.#closed = true;
    for (const [timer, end] of this.#retryWaits) {
      clearTimeout(timer);
      end();
    }
    this.#retryWaits.clear();
  }

  #lane(shardId: number): Lane {
    let lane = this.#lanes.get(shardId);
    if (lane === undefined) {
      lane = { events: [], forwarding: false, paused: false, peak: 0 };
      this.#lanes.set(shardId, lane);
    }
    return lane;
  }

  /** Forwards the shard's queue head first until it is empty or the queue is closed. */
  async #forward(shardId: number, lane: Lane): Promise<void> {
    if (lane.forwarding) return;
    lane.forwarding = true;
    const baseDelayMs = this.#options.retryDelayMs ?? 250;
    let delayMs = baseDelayMs;
    try {
      while (!this.#closed && lane.events.length > 0) {
        const event = lane.events[0] as ForwardedEvent;
        try {
          await this.#options.downstream(event);
        } catch (error) {
          this.#options.onError(error, event);
          await this.#sleep(delayMs);
          delayMs = Math.min(delayMs * 2, baseDelayMs * 8);
          continue;
        }
        delayMs = baseDelayMs;
        lane.events.shift();
        this.#options.onConfirmed(event);
        if (lane.paused && lane.events.length <= this.#options.lowMark) {
          lane.paused = false;
          // Throws only for a shard that no longer runs here, whose reading is then moot.
          try {
            this.#options.reading.resume(shardId, HOLDER);
          } catch (error) {
            this.#options.onError(error, event);
          }
        }
      }
    } finally {
      lane.forwarding = false;
      if (this.size === 0) for (const idle of this.#idleWaiters) idle();
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
