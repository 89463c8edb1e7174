import type { Worker } from 'node:worker_threads';
import { steadyNow } from '@bot/core';
import { HANDLER_SETUP_DEADLINE_MS } from './loadThreadHandler.js';
import type { ToWorker } from './messages.js';

/**
 * How long a worker thread may answer nothing before it counts as hung, by default: past the
 * platform's heartbeat interval (about 40 s), so a thread stuck that long has lost its
 * connections anyway.
 */
export const DEFAULT_UNRESPONSIVE_MS = 60_000;

/** The least silence a thread may be allowed: below it, a busy but healthy thread could be stopped. */
export const MIN_UNRESPONSIVE_MS = 1_000;

/**
 * The least silence a thread that has not loaded yet is allowed: it may still be loading its
 * script and its handler module, which takes seconds on a busy machine, in one synchronous
 * stretch, and setting the module up, which may take up to the handler setup deadline.
 */
export const STARTING_SILENCE_MS = HANDLER_SETUP_DEADLINE_MS;

/** How many checks fit in the silence allowed: a thread is asked this often to answer. */
const CHECKS_PER_SILENCE = 4;

/** A question left unanswered too long, as {@link ThreadWatchdog} tells it. */
export interface Silence {
  /** How long the question has waited. */
  silentMs: number;
  /** How long it was allowed to. */
  allowedMs: number;
  /** Whether the thread had loaded (reported on a shard) when it was judged. */
  loaded: boolean;
}

/**
 * Notices a worker thread that is alive but answers nothing (a handler stuck in a synchronous
 * loop): such a thread never exits, so without this its shards would stay `ready` on the main
 * thread while their connections are dead. Every quarter of the silence allowed, the thread is
 * asked to answer (`ping`) unless a question is still open; any message of it is an answer. Once a
 * question has gone unanswered for the whole silence, `onSilent` is told (which stops the thread,
 * restarted as one that exited).
 *
 * Only questions asked count, so a main thread that was itself blocked (and asked nothing) does not
 * take a quiet thread for a hung one; the check runs after the messages already waiting are
 * delivered (`setImmediate`), so an answer that came meanwhile is seen first. A thread that has
 * not loaded yet is judged alike, its question allowed at least {@link STARTING_SILENCE_MS}
 * (loading its code may take seconds on a busy machine, and an answer while its handler module is
 * still fetched says nothing of how long evaluating it takes): one stuck for good while it loads (a
 * handler module's top-level loop) is stopped too, and not left to keep its shards starting forever.
 */
export class ThreadWatchdog {
  readonly #silenceMs: number;
  readonly #loaded: () => boolean;
  readonly #onSilent: (silence: Silence) => void;
  #worker: Worker | undefined;
  /** When the question still unanswered was asked; `undefined` when none is open. */
  #askedAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #check: NodeJS.Immediate | undefined;

  /**
   * @param silenceMs - how long a question may go unanswered (`Infinity`: the thread is not watched)
   * @param loaded - whether the watched thread has loaded: until then a question may wait at least
   *   {@link STARTING_SILENCE_MS}
   * @param onSilent - told once, when the open question has waited too long: how long it waited,
   *   how long it was allowed, and whether the thread had loaded
   */
  public constructor(silenceMs: number, loaded: () => boolean, onSilent: (silence: Silence) => void) {
    this.#silenceMs = silenceMs;
    this.#loaded = loaded;
    this.#onSilent = onSilent;
  }

  /** Watches `worker` from now on, in place of any thread watched before. */
  public watch(worker: Worker): void {
    this.stop();
    if (!Number.isFinite(this.#silenceMs)) return;
    this.#worker = worker;
    this.#askedAt = undefined;
    this.#arm();
  }

  /** The watched thread said something: it is alive, and the open question is answered. */
  public heard(): void {
    this.#askedAt = undefined;
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
    const now = steadyNow();
    const loaded = this.#loaded();
    const allowedMs = loaded ? this.#silenceMs : Math.max(this.#silenceMs, STARTING_SILENCE_MS);
    if (this.#askedAt === undefined) {
      this.#askedAt = now;
      worker.postMessage({ type: 'ping' } satisfies ToWorker);
    } else if (now - this.#askedAt >= allowedMs) {
      const silence: Silence = { silentMs: now - this.#askedAt, allowedMs, loaded };
      this.stop();
      this.#onSilent(silence);
      return;
    }
    this.#arm();
  }
}
