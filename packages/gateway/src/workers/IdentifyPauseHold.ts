import { MAX_TIMER_DELAY } from '@bot/core';
import type { IdentifyPause } from '../shard/ShardState.js';

/**
 * The op 9 pause a worker shard was waiting out when its thread was lost (see
 * `ShardStatus.identifyPause`). The next thread starts the shard with its counts at zero and would
 * identify at once: a thread that keeps exiting would then start a session on every restart,
 * spending the daily budget the pause protects. So the shard's start is held here until the pause
 * ends; a restart cuts it short, as it cuts the shard's own pause short.
 */
export class IdentifyPauseHold {
  #pause: IdentifyPause | undefined;
  #timer: NodeJS.Timeout | undefined;
  #start: (() => void) | undefined;

  /** The pause kept or waited out now, until it ends (a copy). */
  public get pause(): IdentifyPause | undefined {
    const pause = this.#pause;
    return pause === undefined || pause.until <= Date.now() ? undefined : { ...pause };
  }

  /** Whether a start waits for the pause to end. */
  public get waiting(): boolean {
    return this.#start !== undefined;
  }

  /** The thread was lost while the shard reported `pause`: kept if it has not ended yet. */
  public keep(pause: IdentifyPause | undefined): void {
    this.cancel();
    if (pause !== undefined && pause.until > Date.now()) this.#pause = { ...pause };
  }

  /** Runs `start` once the kept pause ends, or at once without one. */
  public startAfter(start: () => void): void {
    const pause = this.#pause;
    this.cancel();
    const ms = pause === undefined ? 0 : pause.until - Date.now();
    if (ms <= 0) {
      this.#pause = undefined;
      start();
      return;
    }
    this.#pause = pause;
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
}
