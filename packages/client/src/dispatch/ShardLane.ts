import type { DispatchPolicy } from './DispatchPolicy.js';

/**
 * Runs the jobs of one shard under a {@link DispatchPolicy}: at most `limit` at once (1 for
 * `sequential`), started in the order they arrived. The dispatcher isolates every handler call
 * before it gets here, so a job's failure is never this class's to report.
 */
export class ShardLane {
  readonly #limit: number;
  readonly #waiting: Array<() => Promise<void>> = [];
  #running = 0;
  #idle: Array<() => void> = [];

  /** @param policy - sequential, or concurrent with a limit */
  public constructor(policy: DispatchPolicy) {
    this.#limit = policy.mode === 'sequential' ? 1 : Math.max(1, policy.limit ?? 64);
  }

  /** Jobs running plus jobs waiting. */
  public get load(): number {
    return this.#running + this.#waiting.length;
  }

  /** Queues `job`; it starts as soon as the policy allows. */
  public push(job: () => Promise<void>): void {
    this.#waiting.push(job);
    this.#drain();
  }

  /** Resolves once every queued and running job has finished. */
  public onIdle(): Promise<void> {
    if (this.load === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #drain(): void {
    while (this.#running < this.#limit) {
      const job = this.#waiting.shift();
      if (!job) break;
      this.#running += 1;
      const finished = (): void => {
        this.#running -= 1;
        this.#drain();
        if (this.load === 0) {
          const idle = this.#idle;
          this.#idle = [];
          for (const resolve of idle) resolve();
        }
      };
      // Jobs isolate their own failures; a rejection here must still free the slot.
      job().then(finished, finished);
    }
  }
}
