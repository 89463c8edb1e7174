import { messageOf, msUntil, requireDuration, steadyNow } from '@bot/core';
import { SendQueueFullError } from '../errors/SendQueueFullError.js';

/** Outbound frame budget of one connection. */
export interface SendLimitOptions {
  /** Frames allowed per window, all kinds together (60 by default). */
  limit?: number | undefined;
  /** Window length in milliseconds (60 s by default). */
  windowMs?: number | undefined;
  /**
   * Slots of each window only priority frames (heartbeat, identify, resume) may use, so ordinary
   * frames can never starve them (5 by default).
   */
  reserved?: number | undefined;
  /**
   * Most ordinary frames waiting for the budget at once (1,000 by default); past it `send()`
   * rejects at once with a {@link SendQueueFullError}. Heartbeats, identifies and resumes are not
   * counted: at most a few of them ever wait.
   */
  maxQueued?: number | undefined;
}

/** Default of {@link SendLimitOptions.maxQueued}. */
export const DEFAULT_MAX_QUEUED_SENDS = 1_000;

interface QueuedFrame {
  data: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Paces the frames one connection sends, so the platform never closes it for sending too fast.
 * Ordinary frames wait in order; priority frames skip that line and use slots ordinary ones
 * cannot take, so a heartbeat never waits behind other frames. Windows are counted on the steady
 * clock: a wall clock that steps neither holds a window open nor opens the next one early.
 */
export class SendLimiter {
  readonly #write: (data: string) => void;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #ordinaryLimit: number;
  readonly #maxQueued: number;
  readonly #priority: string[] = [];
  // At most one heartbeat waits, built when written so it carries the latest sequence number.
  #heartbeat: (() => string) | undefined;
  readonly #ordinary: QueuedFrame[] = [];
  /** When the current window began, on the steady clock. */
  #windowStart = Number.NEGATIVE_INFINITY;
  #sent = 0;
  #timer: NodeJS.Timeout | undefined;
  #closedWith: Error | undefined;

  /**
   * @param write - puts one frame on the wire; throws once the connection takes no more frames
   * @param options - budget per window
   * @throws {@link ValidationError} for a window no timer can hold (over `MAX_TIMER_DELAY`)
   */
  public constructor(write: (data: string) => void, options: SendLimitOptions = {}) {
    this.#write = write;
    this.#limit = options.limit ?? 60;
    this.#windowMs = requireDuration(options.windowMs ?? 60_000, 'sendLimit.windowMs');
    this.#ordinaryLimit = Math.max(1, this.#limit - (options.reserved ?? 5));
    this.#maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED_SENDS;
  }

  /**
   * The shortest heartbeat interval this budget sustains with half of it left for every other
   * frame: two frames' share of the window per beat (2 s at 60 frames a minute).
   */
  public heartbeatFloorMs(): number {
    return Math.ceil((this.#windowMs / this.#limit) * 2);
  }

  /** Milliseconds until the current window ends and the budget is full again. */
  public msUntilReset(): number {
    return msUntil(this.#windowStart + this.#windowMs);
  }

  /**
   * Sends a heartbeat, identify or resume: now if the window has any slot left, otherwise first
   * thing when it resets.
   */
  public sendPriority(data: string): void {
    if (this.#closedWith) return;
    this.#priority.push(data);
    this.#drain();
  }

  /**
   * Sends a heartbeat ahead of every other frame: now if the window has a slot left, otherwise
   * first thing when it resets. A heartbeat already waiting absorbs this one, so however often
   * beats are asked for, at most one is ever queued.
   *
   * @param frame - builds the frame when it is written
   */
  public sendHeartbeat(frame: () => string): void {
    if (this.#closedWith) return;
    this.#heartbeat = frame;
    this.#drain();
  }

  /**
   * Sends an ordinary frame once the budget allows, after the frames queued before it.
   *
   * @returns resolves when the frame is on the wire; rejects when the connection ends first, or at
   *   once with a {@link SendQueueFullError} when `maxQueued` frames already wait
   */
  public send(data: string): Promise<void> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    if (this.#ordinary.length >= this.#maxQueued)
      return Promise.reject(new SendQueueFullError(this.#maxQueued));
    return new Promise((resolve, reject) => {
      this.#ordinary.push({ data, resolve, reject });
      this.#drain();
    });
  }

  /**
   * Drops everything still queued: the connection is gone.
   *
   * @param reason - the error queued ordinary sends reject with
   */
  public close(reason: Error): void {
    this.#closedWith = reason;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#priority.length = 0;
    this.#heartbeat = undefined;
    for (const frame of this.#ordinary.splice(0)) frame.reject(reason);
  }

  /**
   * Writes one frame. A write that throws means the connection takes no more frames: the limiter
   * closes with that error, so `frame` (when ordinary) and every queued send reject with it, and
   * a failed heartbeat or identify ends here instead of inside a timer.
   *
   * @returns whether the frame was written
   */
  #put(data: string, frame?: QueuedFrame): boolean {
    try {
      this.#write(data);
      return true;
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(messageOf(thrown));
      frame?.reject(error);
      this.close(error);
      return false;
    }
  }

  #drain(): void {
    const now = steadyNow();
    if (now >= this.#windowStart + this.#windowMs) {
      this.#windowStart = now;
      this.#sent = 0;
    }
    const heartbeat = this.#heartbeat;
    if (heartbeat !== undefined && this.#sent < this.#limit) {
      this.#heartbeat = undefined;
      this.#sent++;
      if (!this.#put(heartbeat())) return;
    }
    for (
      let data = this.#priority[0];
      data !== undefined && this.#sent < this.#limit;
      data = this.#priority[0]
    ) {
      this.#priority.shift();
      this.#sent++;
      if (!this.#put(data)) return;
    }
    for (
      let frame = this.#ordinary[0];
      frame !== undefined && this.#priority.length === 0;
      frame = this.#ordinary[0]
    ) {
      if (this.#sent >= this.#ordinaryLimit) break;
      this.#ordinary.shift();
      this.#sent++;
      if (!this.#put(frame.data, frame)) return;
      frame.resolve();
    }
    const waiting = this.#heartbeat !== undefined || this.#priority.length > 0 || this.#ordinary.length > 0;
    if (waiting && this.#timer === undefined) {
      // A timer that fires a little early finds the window still running and waits again.
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#drain();
      }, this.msUntilReset());
    }
  }
}
