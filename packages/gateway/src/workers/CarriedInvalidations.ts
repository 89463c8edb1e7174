import { MAX_TIMER_DELAY } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { PauseHolder } from '../shard/PauseHolders.js';
import {
  INVALIDATED_SESSIONS_BEFORE_PAUSE,
  invalidatedSessionPauseMs,
  invalidSessionDelay,
} from '../shard/recovery.js';
import type { IdentifyPause, ShardCloseEvent, ShardStatus } from '../shard/ShardState.js';

/** How the shard's report and close reason of a session op 9 ended soon after it started begin. */
const OP9_SOON = 'invalid session (op 9) soon after the session started, ';

/** The pause holder under which a shard's connection waits out a pause its thread adds. */
const CARRIED_PAUSE: unique symbol = Symbol('op 9 pause counted across threads');

/** What {@link CarriedInvalidations} needs of its shard. */
export interface PausableShard {
  pause(holder: PauseHolder): void;
  resume(holder: PauseHolder): void;
}

/** How a shard counts sessions ended by op 9 (see `invalidatedSessionPauseMs`). */
export interface InvalidationSettings {
  /** The shard's id, named in its reports. */
  shardId: number;
  /** Sessions in a row ended by op 9 soon after they started, counted by the shard's earlier threads. */
  carried: number;
  /** How long a connection stays ready to prove stable (`backoff.stableAfterMs`). */
  stableAfterMs: number;
  /** The shard count, which sets the pause. */
  shardCount: number;
  /** The bot's daily session start budget, which sets the pause (the shard's default when unset). */
  sessionStartTotal: number | undefined;
}

/** What a `close` event of the shard turns into once the carried count is applied. */
export interface CountedClose {
  /** The event to report: with the pause's wait as `delayMs` when a pause was added. */
  event: ShardCloseEvent;
  /** The count in a row changed (see {@link CarriedInvalidations.count}). */
  changed: boolean;
  /**
   * The report to give in place of the shard's own (see {@link CarriedInvalidations.replaces}),
   * or of the pause added.
   */
  report?: GatewayError;
}

/**
 * Sessions in a row ended by op 9 soon after they started (`invalidSessionSoon`), counted across
 * the threads a worker shard ran on. A shard on a new thread counts from zero, so a thread that
 * keeps being restarted would let its shard identify quickly up to
 * `INVALIDATED_SESSIONS_BEFORE_PAUSE` times per restart; here the count of earlier threads is
 * added to the shard's own, and once the sum reaches that limit while the shard's own has not, the
 * shard's next connection is held (paused under a holder of its own) for the pause the shard would
 * have waited in one process: `invalidatedSessionPauseMs` plus 1–5 s. While a count is carried,
 * the shard's report of each such session and its `close` reason are replaced by ones stating the
 * sum and the wait taken (the shard's count only this thread's sessions).
 *
 * The count starts over as the shard's does: once a connection stays ready for
 * `backoff.stableAfterMs`, timed from the shard's `ready` state (and read again at its heartbeats
 * and close on the steady clock). The start over is reported as soon as that time is up, not at
 * the connection's next heartbeat: a thread lost in between would leave the main thread with the
 * old count, which one shard in one process has dropped by then (it starts over when such a
 * connection ends, whatever ends it). A restart cuts a held pause short, as it cuts the shard's own.
 */
export class CarriedInvalidations {
  readonly #shard: PausableShard;
  readonly #settings: InvalidationSettings;
  /** The part of the count from earlier threads: 0 once a connection proved stable. */
  #carried: number;
  /** Counted by this thread's shard since it started or a connection proved stable. */
  #own = 0;
  /** When the current connection became ready, on the steady clock. */
  #readySince: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Fires once the current connection has stayed ready for `stableAfterMs`. */
  #stableTimer: NodeJS.Timeout | undefined;
  readonly #startedOver: () => void;
  #pause: IdentifyPause | undefined;
  /** The shard's own report of the current close, left out (see {@link CarriedInvalidations.replaces}). */
  #replaced: GatewayError | undefined;

  /**
   * @param shard - the shard whose connection a pause holds
   * @param settings - the carried count and what sets the pause
   * @param startedOver - called when the count started over as a connection stayed ready for
   *   `stableAfterMs` (not called for a start over that `alive` or `closed` returns)
   */
  public constructor(shard: PausableShard, settings: InvalidationSettings, startedOver: () => void) {
    this.#shard = shard;
    this.#settings = settings;
    this.#startedOver = startedOver;
    this.#carried = settings.carried;
  }

  /** Sessions in a row ended by op 9 soon after they started, earlier threads' included. */
  public get count(): number {
    return this.#carried + this.#own;
  }

  /** The shard became ready (READY or RESUMED) at `now`. */
  public ready(now: number): void {
    this.#readySince = now;
    clearTimeout(this.#stableTimer);
    this.#stableTimer = setTimeout(() => {
      this.#stableTimer = undefined;
      if (this.#readySince !== now) return;
      this.#readySince = undefined;
      if (this.#startOver()) this.#startedOver();
    }, this.#settings.stableAfterMs);
    this.#stableTimer.unref();
  }

  /**
   * A heartbeat was acknowledged at `now`.
   *
   * @returns whether the count started over (the connection proved stable)
   */
  public alive(now: number): boolean {
    return this.#proven(now);
  }

  /**
   * Whether the thread reports `error`, the shard's own report of a session op 9 ended soon after
   * it started, in its place: with a count carried from earlier threads the shard's counts only
   * this thread's sessions ("1 in a row", "identifying again") while the sum may hold it for the
   * pause; {@link CarriedInvalidations.closed} then gives the report with the sum and the wait.
   */
  public replaces(error: Error): boolean {
    if (this.#carried === 0 || !(error instanceof GatewayError) || !error.message.includes(OP9_SOON))
      return false;
    this.#replaced = error;
    return true;
  }

  /**
   * The shard reported the end of a connection with `event` at `now`: counted when op 9 ended its
   * session soon after it started, and the next connection held when the count reaches the pause
   * the shard does not take itself. With a count carried from earlier threads the event's reason
   * and the report say the count summed and the wait the shard takes, as one shard in one process
   * would.
   */
  public closed(event: ShardCloseEvent, now: number): CountedClose {
    const reset = this.#proven(now);
    this.#readySince = undefined;
    clearTimeout(this.#stableTimer);
    this.#stableTimer = undefined;
    const replaced = this.#replaced;
    this.#replaced = undefined;
    const counted = event.ending === 'invalidSessionSoon' && event.next === 'identify';
    if (counted) this.#own += 1;
    const carried = this.#carried;
    // Nothing carried (or no longer, the connection having proved stable): the shard's own report stands.
    if (!counted || carried === 0)
      return { event, changed: counted || reset, ...(replaced === undefined ? {} : { report: replaced }) };
    const count = carried + this.#own;
    const { shardCount, sessionStartTotal, shardId } = this.#settings;
    const pauseMs = invalidatedSessionPauseMs(shardCount, sessionStartTotal);
    const minutes = Math.round(pauseMs / 60_000);
    const why = `${OP9_SOON}${count} in a row counting the ${carried} before its worker thread was restarted`;
    let delayMs = event.delayMs;
    let held = false;
    let text: string;
    if (count < INVALIDATED_SESSIONS_BEFORE_PAUSE) {
      text = `${why} (from ${INVALIDATED_SESSIONS_BEFORE_PAUSE} in a row the shard identifies every ${minutes} minutes: each new session spends a session start); identifying again in ${Math.ceil(delayMs / 1_000)} s`;
    } else {
      // From its own count on the shard pauses itself; below it the sum holds it here.
      if (this.#own < INVALIDATED_SESSIONS_BEFORE_PAUSE) {
        held = true;
        delayMs = Math.max(event.delayMs, pauseMs + invalidSessionDelay());
        this.#hold({
          reason: 'invalidatedSessions',
          sessions: count,
          ms: delayMs,
          until: Date.now() + delayMs,
        });
      }
      text = `${why}, with no stable connection between them: the platform is not keeping this bot's sessions. Each new session spends a session start, so the shard now identifies again in ${Math.round(delayMs / 60_000)} minutes, and every ${minutes} minutes until a session lasts; once the platform has recovered call restart() to try sooner`;
    }
    const report = replaced !== undefined || held ? new GatewayError(text, shardId) : undefined;
    return {
      event: { ...event, reason: why, delayMs },
      changed: true,
      ...(report === undefined ? {} : { report }),
    };
  }

  /**
   * `status` with the pause held here (or the shard's own pause counting earlier threads'
   * sessions too), as the shard would show it in one process.
   */
  public status(status: ShardStatus): ShardStatus {
    const pause = this.#pause;
    if (pause !== undefined) return { ...status, identifyPause: { ...pause } };
    const own = status.identifyPause;
    if (own === undefined || this.#carried === 0) return status;
    return { ...status, identifyPause: { ...own, sessions: this.count } };
  }

  /**
   * Ends a held pause now (a restart, which cuts a pause short; or the shard is closed).
   *
   * @returns whether one was held
   */
  public release(): boolean {
    const held = this.#pause !== undefined;
    clearTimeout(this.#stableTimer);
    this.#stableTimer = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pause = undefined;
    if (held) this.#shard.resume(CARRIED_PAUSE);
    return held;
  }

  #hold(pause: IdentifyPause): void {
    this.release();
    this.#pause = pause;
    this.#shard.pause(CARRIED_PAUSE);
    this.#timer = setTimeout(() => this.release(), Math.min(pause.ms, MAX_TIMER_DELAY));
  }

  /** Whether the current connection has now stayed ready long enough: the count starts over. */
  #proven(now: number): boolean {
    const since = this.#readySince;
    if (since === undefined || now - since < this.#settings.stableAfterMs) return false;
    this.#readySince = undefined;
    clearTimeout(this.#stableTimer);
    this.#stableTimer = undefined;
    return this.#startOver();
  }

  /** The count starts over; returns whether it changed. */
  #startOver(): boolean {
    const changed = this.count > 0;
    this.#carried = 0;
    this.#own = 0;
    return changed;
  }
}
