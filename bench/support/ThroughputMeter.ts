import { performance } from 'node:perf_hooks';

/** What one contender achieved in one round. */
export interface ThroughputResult {
  /** Operations measured (after the warm-up): dispatches, requests, deliveries. */
  operations: number;
  /** Wall time from the end of the warm-up to the last operation. */
  wallMs: number;
  /** CPU time the process used in that span (all threads: JS, GC, I/O). */
  cpuMs: number;
}

/**
 * Counts operations as they complete (a dispatch reaching user code, a response arriving). The
 * first `warmup` ones only warm the code up; the clock runs from the last of them to the last
 * measured one, in wall time and in the process's CPU time.
 */
export class ThroughputMeter {
  readonly #warmup: number;
  readonly #total: number;
  #seen = 0;
  #startWall = 0;
  #startCpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  #finish: (result: ThroughputResult) => void = () => undefined;
  /** Resolves once every measured operation has been counted. */
  public readonly done: Promise<ThroughputResult>;

  /**
   * @param warmup - operations before the clock starts, at least 1
   * @param operations - operations measured
   */
  public constructor(warmup: number, operations: number) {
    this.#warmup = warmup;
    this.#total = warmup + operations;
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }

  /** Counts one operation. */
  public readonly count = (): void => {
    this.#seen += 1;
    if (this.#seen === this.#warmup) {
      this.#startWall = performance.now();
      this.#startCpu = process.cpuUsage();
    } else if (this.#seen === this.#total) {
      const cpu = process.cpuUsage(this.#startCpu);
      this.#finish({
        operations: this.#total - this.#warmup,
        wallMs: performance.now() - this.#startWall,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    }
  };
}
