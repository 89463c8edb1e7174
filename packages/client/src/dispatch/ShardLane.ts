import type { DispatchPolicy } from './DispatchPolicy.js';
import { FifoQueue } from './FifoQueue.js';
import type { Completion } from './runInOrder.js';

/** One event's work: `undefined` when it finished synchronously, else a promise of its end. */
export type LaneJob = () => Completion;

/**
 * Runs the jobs of one shard under a {@link DispatchPolicy}: at most `limit` at once (1 for
 * `sequential`), started in the order they arrived. A job that finishes synchronously frees its
 * slot at once, so handlers that do not await cost the lane no promise. The dispatcher isolates
 * every handler call before it gets here; a job that throws or rejects all the same is a bug,
 * which goes to `onThrow` and still frees its slot.
 */
export class ShardLane {
  readonly #limit: number;
  readonly #onThrow: (error: unknown) => void;
  readonly #waiting = new FifoQueue<LaneJob>();
  #running = 0;
  #draining = false;
  #idle: Array<() => void> = [];
  readonly #settled = (): void => {
    this.#running -= 1;
    this.#drain();
  };
  readonly #rejected = (error: unknown): void => {
    this.#report(error);
    this.#settled();
  };

  /**
   * @param policy - sequential, or concurrent with a limit
   * @param onThrow - receives what a job threw; jobs are meant to isolate their own failures, so
   *   this only sees a bug, which must still not stall the lane or reach the socket
   */
  public constructor(policy: DispatchPolicy, onThrow: (error: unknown) => void) {
    this.#onThrow = onThrow;
    this.#limit = policy.mode === 'sequential' ? 1 : Math.max(1, policy.limit ?? 64);
  }

  /** Jobs running plus jobs waiting. */
  public get load(): number {
    return this.#running + this.#waiting.length;
  }

  /** Queues `job`; it starts as soon as the policy allows, possibly before `push` returns. */
  public push(job: LaneJob): void {
    // The common case, a lane keeping up, runs the job at once with no queue in between.
    if (!this.#draining && this.#running < this.#limit && this.#waiting.length === 0) {
      this.#drain(job);
      return;
    }
    this.#waiting.push(job);
    this.#drain();
  }

  /** Resolves once every queued and running job has finished. */
  public onIdle(): Promise<void> {
    if (this.load === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #drain(first?: LaneJob): void {
    // A job may dispatch another event synchronously; the loop below picks it up, in order.
    if (this.#draining) return;
    this.#draining = true;
    if (first !== undefined) this.#start(first);
    while (this.#running < this.#limit && this.#waiting.length > 0) this.#start(this.#waiting.shift()!);
    this.#draining = false;
    if (this.load === 0) this.#wakeIdle();
  }

  /** Runs one job; never throws, so the loop above always finishes. */
  #start(job: LaneJob): void {
    this.#running += 1;
    let pending: Completion;
    try {
      pending = job();
    } catch (error) {
      this.#report(error);
      pending = undefined;
    }
    if (pending === undefined) this.#running -= 1;
    else pending.then(this.#settled, this.#rejected);
  }

  #report(error: unknown): void {
    try {
      this.#onThrow(error);
    } catch {
      // The reporter failed too (a logger that throws): nothing is left to tell, and the lane
      // must go on regardless.
    }
  }

  #wakeIdle(): void {
    if (this.#idle.length === 0) return;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }
}
