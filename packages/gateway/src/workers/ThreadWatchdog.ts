import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { ToWorker } from './messages.js';

/**
 * How long a worker thread may answer nothing before it counts as hung, by default: past the
 * platform's heartbeat interval (about 40 s), so a thread stuck that long has lost its
 * connections anyway.
 */
export const DEFAULT_UNRESPONSIVE_MS = 60_000;

/** The least silence a thread may be allowed: below it, a busy but healthy thread could be stopped. */
export const MIN_UNRESPONSIVE_MS = 1_000;

/** How many checks fit in the silence allowed: a thread is asked this often to answer. */
const CHECKS_PER_SILENCE = 4;

/**
 * Notices a worker thread that is alive but answers nothing (a handler stuck in a synchronous
 * loop): such a thread never exits, so without this its shards would stay `ready` on the main
 * thread while their connections are dead. The thread is asked to answer (`ping`) every quarter
 * of the silence allowed; any message of it counts as an answer. Once it has said nothing for the
 * whole silence, `onSilent` is told (which stops the thread, restarted as one that exited).
 * Silence counts from the thread's first answer: a thread still starting (loading its code, which
 * may take seconds on a busy machine) is not judged.
 *
 * The check runs after the messages already waiting are delivered (`setImmediate`), so a main
 * thread that was itself busy does not mistake its own lateness for the thread's silence.
 */
export class ThreadWatchdog {
  readonly #silenceMs: number;
  readonly #onSilent: (silentMs: number) => void;
  #worker: Worker | undefined;
  /** When the watched thread last said something; `undefined` until its first answer. */
  #lastHeard: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #check: NodeJS.Immediate | undefined;

  /**
   * @param silenceMs - how long a thread may answer nothing (`Infinity`: it is not watched)
   * @param onSilent - told once when the watched thread has been silent that long
   */
  public constructor(silenceMs: number, onSilent: (silentMs: number) => void) {
    this.#silenceMs = silenceMs;
    this.#onSilent = onSilent;
  }

  /** Watches `worker` from now on, in place of any thread watched before. */
  public watch(worker: Worker): void {
    this.stop();
    if (!Number.isFinite(this.#silenceMs)) return;
    this.#worker = worker;
    this.#lastHeard = undefined;
    this.#arm();
  }

  /** The watched thread said something: it is alive. */
  public heard(): void {
    this.#lastHeard = performance.now();
  }

  /** Stops watching (the thread exited, or is being stopped on purpose). */
  public stop(): void {
    clearTimeout(this.#timer);
    if (this.#check !== undefined) clearImmediate(this.#check);
    this.#timer = undefined;
    this.#check = undefined;
    this.#worker = undefined;
  }

  #arm(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#check = setImmediate(() => this.#checkIn());
    }, this.#silenceMs / CHECKS_PER_SILENCE);
    // Watching is no reason to keep the process up: the thread itself does that while it runs.
    this.#timer.unref();
  }

  #checkIn(): void {
    this.#check = undefined;
    const worker = this.#worker;
    if (worker === undefined) return;
    const silentMs = this.#lastHeard === undefined ? 0 : performance.now() - this.#lastHeard;
    if (silentMs >= this.#silenceMs) {
      this.stop();
      this.#onSilent(silentMs);
      return;
    }
    worker.postMessage({ type: 'ping' } satisfies ToWorker);
    this.#arm();
  }
}
