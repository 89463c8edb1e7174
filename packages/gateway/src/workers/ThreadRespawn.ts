import type { ResourceLimits } from 'node:worker_threads';
import { backoffDelay, waitAtMost } from '@bot/core';

/** Longest wait for the sessions to be saved before a new thread starts anyway. */
const SAVE_DEADLINE_MS = 5_000;

/** How a thread that exits unasked is restarted. */
export interface RestartPolicy {
  /**
   * Restarts in a row before its shards stop for good. The count starts over once a thread's
   * shards have stayed ready for the shards' `backoff.stableAfterMs`, as a shard's own back-off does.
   */
  maxRestarts: number;
  /** Back-off before a restart: `baseMs · 2^n`, jittered, capped at `maxMs`. */
  baseMs: number;
  /** Longest back-off. */
  maxMs: number;
  /** `resourceLimits` of each thread (heap sizes), when set. */
  resourceLimits?: ResourceLimits | undefined;
  /**
   * How long a thread may answer nothing before it is stopped, and restarted as one that exited
   * (`DEFAULT_UNRESPONSIVE_MS` when unset; `Infinity`: never).
   */
  unresponsiveMs?: number | undefined;
}

/**
 * The new thread a `ShardWorker` starts after its thread exited unasked: due after a back-off
 * (none once `maxRestarts` are spent), and started once its shards' sessions are saved, or after
 * {@link SAVE_DEADLINE_MS} at most, unless the worker spawned or stopped a thread meanwhile.
 */
export class ThreadRespawn {
  readonly #policy: RestartPolicy;
  #timer: NodeJS.Timeout | undefined;
  /** Counts spawns and stops: a respawn scheduled under an older one is stale. */
  #generation = 0;

  /** @param policy - restarts */
  public constructor(policy: RestartPolicy) {
    this.#policy = policy;
  }

  /** Whether a respawn is scheduled and has not started its thread yet. */
  public get pending(): boolean {
    return this.#timer !== undefined;
  }

  /** A thread starts: a respawn scheduled before it is stale. */
  public spawned(): void {
    this.#generation += 1;
  }

  /** The worker's last shard is gone: no respawn is due any more. */
  public cancel(): void {
    this.#generation += 1; // a respawn waiting for the session save must not start a thread now
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * The back-off before the next restart.
   *
   * @param restarts - the restarts in a row so far
   * @returns the delay in ms, or `undefined` once `maxRestarts` are spent
   */
  public delayAfter(restarts: number): number | undefined {
    if (restarts >= this.#policy.maxRestarts) return undefined;
    return backoffDelay(restarts, { base: this.#policy.baseMs, max: this.#policy.maxMs });
  }

  /**
   * Calls `spawn` after `delayMs`, once `saved` settles (or its deadline passes), unless the
   * respawn is stale by then.
   *
   * @param delayMs - the back-off (see {@link ThreadRespawn.delayAfter})
   * @param saved - the save of the shards' sessions
   * @param spawn - starts the new thread
   */
  public schedule(delayMs: number, saved: Promise<void>, spawn: () => void): void {
    const generation = this.#generation;
    this.#timer = setTimeout(() => {
      void waitAtMost(saved, SAVE_DEADLINE_MS).then(() => {
        // Shut down (and perhaps started again, on a thread of its own) while the save ran.
        if (generation !== this.#generation) return;
        this.#timer = undefined;
        spawn();
      });
    }, delayMs);
  }
}
