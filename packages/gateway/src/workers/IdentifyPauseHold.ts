import { MAX_TIMER_DELAY, msUntil, steadyNow } from '@bot/core';
import type { IdentifyPause } from '../shard/ShardState.js';

/**
 * The op 9 pause a worker shard was waiting out when its thread was lost (see
 * `ShardStatus.identifyPause`). The next thread's shard starts with no pause of its own (its op 9
 * count in a row is carried, see `CarriedInvalidations`, but the pause under way is not) and would
 * identify at once: a thread that keeps exiting would then start a session on every restart,
 * spending the daily budget the pause protects. So the shard's start is held here until the pause
 * ends; a restart cuts it short, as it cuts the shard's own pause short.
 *
 * The pause reported carries a wall-clock `until`; it is read once, as the thread is lost, and
 * counted on the steady clock from then on, as the shard counts its own pause: a wall clock stepped
 * back would hold the start past the pause, stepped forward would hide a pause still held.
 */
export class IdentifyPauseHold {
  #pause: IdentifyPause | undefined;
  /** When the kept pause ends, on the steady clock (`steadyNow()`). */
  #endsAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #start: (() => void) | undefined;

  /** The pause kept or waited out now, until it ends (a copy). */
  public get pause(): IdentifyPause | undefined {
    const pause = this.#pause;
    return pause === undefined || this.#endsAt <= steadyNow() ? undefined : { ...pause };
  }

  /** Milliseconds left of the kept pause, 0 without one. */
  public get leftMs(): number {
    return this.#pause === undefined ? 0 : msUntil(this.#endsAt);
  }

  /** Whether a start waits for the pause to end. */
  public get waiting(): boolean {
    return this.#start !== undefined;
  }

  /**
   * The thread was lost while the shard reported `reported`: kept if it has not ended yet. Without
   * one (a shard whose start waited reports nothing), a pause kept and not ended stays, with its end.
   */
  public keep(reported: IdentifyPause | undefined): void {
    const kept = this.#pause;
    const endsAt = this.#endsAt;
    this.cancel();
    if (reported !== undefined) {
      // Never more than the pause's length: the wall clock may have stepped back since the report.
      const leftMs = Math.min(reported.until - Date.now(), reported.ms);
      if (leftMs > 0) this.#keep({ ...reported }, steadyNow() + leftMs);
    } else if (kept !== undefined && endsAt > steadyNow()) {
      this.#keep(kept, endsAt);
    }
  }

  /** Runs `start` once the kept pause ends, or at once without one. */
  public startAfter(start: () => void): void {
    const pause = this.#pause;
    const endsAt = this.#endsAt;
    this.cancel();
    const ms = pause === undefined ? 0 : msUntil(endsAt);
    if (pause === undefined || ms <= 0) {
      start();
      return;
    }
    this.#keep(pause, endsAt);
    this.#start = start;
    this.#timer = setTimeout(() => this.hurry(), Math.min(ms, MAX_TIMER_DELAY));
  }

  /**
   * Runs the waiting start now (a restart).
   *
   * @returns whether a start was waiting
   */
  public hurry(): boolean {
    const start = this.#start;
    this.cancel();
    start?.();
    return start !== undefined;
  }

  /**
   * Forgets the pause and the waiting start (the shard is closed, failed, or lost again).
   *
   * @returns whether a start was waiting
   */
  public cancel(): boolean {
    const waited = this.#start !== undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#start = undefined;
    this.#pause = undefined;
    return waited;
  }

  #keep(pause: IdentifyPause, endsAt: number): void {
    this.#pause = pause;
    this.#endsAt = endsAt;
  }
}
