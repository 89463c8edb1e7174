import type { ThroughputResult } from '../support/ThroughputMeter.js';

/** `Atomics.waitAsync` (Node.js 16+), which this project's TypeScript library setting does not declare. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/**
 * The main thread's side of `spinningHandler.mjs`: shared memory the handlers on every thread
 * count in, and the measured span read from it (wall time as the threads stamped it, the
 * process's CPU time from when the main thread saw the warm-up end).
 */
export class ThreadCounter {
  /** What the handler module is given as `handlerData.shared`. */
  public readonly shared = new SharedArrayBuffer(24);
  readonly #counters = new Int32Array(this.shared, 0, 2);
  readonly #times = new Float64Array(this.shared, 8, 2);
  readonly #warmup: number;
  readonly #total: number;

  /**
   * @param warmup - events before the clock starts
   * @param events - events measured
   */
  public constructor(warmup: number, events: number) {
    this.#warmup = warmup;
    this.#total = warmup + events;
  }

  /** What the handler module is given. */
  public handlerData(micros: number): {
    shared: SharedArrayBuffer;
    micros: number;
    warmup: number;
    total: number;
  } {
    return { shared: this.shared, micros, warmup: this.#warmup, total: this.#total };
  }

  /** Resolves once the warm-up is over, then once every measured event was handled. */
  public async measure(onStart: () => void = () => undefined): Promise<ThroughputResult> {
    await this.#phase(1);
    const cpuFrom = process.cpuUsage();
    onStart();
    await this.#phase(2);
    const cpu = process.cpuUsage(cpuFrom);
    const [start = 0, end = 0] = this.#times;
    return {
      operations: this.#total - this.#warmup,
      wallMs: end - start,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  }

  /** Waits, without spinning, until the threads reached `phase`. */
  async #phase(phase: number): Promise<void> {
    for (;;) {
      const now = Atomics.load(this.#counters, 1);
      if (now >= phase) return;
      const waited = waitAsync(this.#counters, 1, now, 1_000);
      if (waited.async) await waited.value;
    }
  }
}
