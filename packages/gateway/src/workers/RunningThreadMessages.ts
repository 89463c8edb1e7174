import type { Worker } from 'node:worker_threads';
import { messageOf } from '@bot/core';
import type { FromWorker, ShardItem, ToWorker } from './messages.js';
import type { ServedCalls, WorkerServices } from './ServedCalls.js';
import type { ThreadLogLines } from './ThreadLogLines.js';
import type { ThreadRestarts } from './ThreadRestarts.js';
import { DurableSeqTold } from './threadSessions.js';
import { fromWireError } from './wireError.js';
import type { WorkerShard } from './WorkerShard.js';

/**
 * How often the durable seqs are asked again while the thread was told less than crossed: they
 * may move with nothing more read or stored, and a heartbeat acknowledges what was last told.
 */
export const DURABLE_RECHECK_MS = 250;

/** A checked message of the running thread, but `handlerFailed`, which its `ShardWorker` handles. */
export type RunningThreadMessage = Exclude<FromWorker, { type: 'handlerFailed' }>;

/** The parts of a `ShardWorker` that the messages of its running thread reach. */
export interface RunningThreadParts {
  /** The shards the thread runs, by id. */
  shards: ReadonlyMap<number, WorkerShard>;
  /** The thread's calls, served here. */
  calls: ServedCalls;
  /** The thread's log lines, printed here. */
  logs: ThreadLogLines;
  /** The restarts in a row, told when a shard is ready. */
  restarts: ThreadRestarts;
  /** The manager's queue, store, tokens and logger. */
  services: () => WorkerServices;
  /** The thread running now, if any: what acknowledgements and durable seqs go to. */
  current: () => Worker | undefined;
  /** Whether the thread is told how far the store holds its sessions durably. */
  durableSeq: boolean;
  /** The shards an items message reported on, each once, after its items were delivered here. */
  took: (ids: readonly number[]) => void;
}

/**
 * What the main thread does with the messages of a `ShardWorker`'s running thread, once checked:
 * routes its reports to its {@link WorkerShard}s and acknowledges them, tells it how far the store
 * holds its shards' sessions durably, serves its calls, and passes on its refused tokens, identify
 * sends, client failures and log lines.
 */
export class RunningThreadMessages {
  readonly #parts: RunningThreadParts;
  /** The durable seq last told to the thread, per shard. */
  readonly #durableTold = new DurableSeqTold();
  /** Asks the durable seqs again, while the thread was told less than crossed. */
  #recheck: NodeJS.Timeout | undefined;

  /** @param parts - what the messages reach */
  public constructor(parts: RunningThreadParts) {
    this.#parts = parts;
  }

  /** Takes one message of the running thread `worker`. */
  public receive(worker: Worker, message: RunningThreadMessage): void {
    const { calls, logs, services } = this.#parts;
    switch (message.type) {
      case 'items': {
        for (const item of message.items) {
          if (item[1] === 'state' && item[2] === 'ready') this.#parts.restarts.sawReady();
          this.#deliver(item);
        }
        if (message.dispatches > 0) this.#acknowledge(worker, message.dispatches);
        const ids = [...new Set(message.items.map((item) => item[0]))];
        this.tellDurable(ids);
        this.#parts.took(ids);
        return;
      }
      case 'call':
        calls.serve(worker, () => this.#parts.current() === worker, message);
        return;
      case 'cancel':
        calls.cancel(worker, message.call);
        return;
      case 'invalidateToken':
        services().tokens.invalidate(message.token);
        return;
      case 'identifySent':
        services().identifyQueue.identifySent?.(message.shardId);
        return;
      case 'clientError':
        this.clientError(message);
        return;
      case 'stopped':
        return; // only meaningful from a thread being stopped (see `StoppingThread`)
      case 'pong':
        return; // it arrived: the thread's watchdog heard it
      case 'log':
        if (logs.print(worker, message)) this.#acknowledge(worker, 0);
        return;
    }
  }

  /**
   * A failure the thread's client reported: an error of the shard whose event it concerns, which
   * reaches the manager's error listeners (the main client's `error()`); logged when that shard is
   * closed already (a shutdown's abandoned events) or none is named, as nobody else receives it.
   */
  public clientError({ shardId, error }: Extract<FromWorker, { type: 'clientError' }>): void {
    const shard = shardId === undefined ? undefined : this.#parts.shards.get(shardId);
    if (shard !== undefined) this.#deliver([shard.id, 'error', error]);
    else this.#parts.logs.workers.error(fromWireError(error).message);
  }

  /**
   * Tells the thread how far the store holds its shards' sessions durably, when that moved. While
   * it was told less than crossed here, the store is asked again every {@link DURABLE_RECHECK_MS}:
   * otherwise a seq that became durable with nothing more read or stored (a backlog handled, a
   * write confirmed) would reach the thread only after its next heartbeat's acknowledgement.
   */
  public tellDurable(ids: number[]): void {
    const worker = this.#parts.current();
    if (worker === undefined || !this.#parts.durableSeq) return;
    const shards = ids.flatMap((id) => this.#parts.shards.get(id) ?? []);
    const seqs = this.#durableTold.moved(shards, this.#parts.services().sessionStore);
    if (seqs.length > 0) worker.postMessage({ type: 'durable', seqs } satisfies ToWorker);
    if (this.#recheck === undefined && this.#durableTold.behind(this.#parts.shards.values())) {
      this.#recheck = setTimeout(() => {
        this.#recheck = undefined;
        this.tellDurable([...this.#parts.shards.keys()]);
      }, DURABLE_RECHECK_MS);
      // A thread's shards keep the process up; asking about them is no reason to.
      this.#recheck.unref();
    }
  }

  /** The thread no longer knows anything of shard `id` (or, without `id`, a new thread starts). */
  public forgetDurable(id?: number): void {
    this.#durableTold.forget(id);
    if (id === undefined || this.#parts.shards.size === 0) this.#stopRecheck();
  }

  /** The running thread is gone: nothing is told to it any more. */
  public threadGone(): void {
    this.#stopRecheck();
  }

  #stopRecheck(): void {
    clearTimeout(this.#recheck);
    this.#recheck = undefined;
  }

  /**
   * Hands `item` to its shard, which reports a listener that throws on `error`, as a `Shard` does.
   * Anything thrown still is logged here: thrown out of the thread's `message` listener it would be
   * an uncaught exception of the whole process.
   */
  #deliver(item: ShardItem): void {
    try {
      this.#parts.shards.get(item[0])?.receive(item);
    } catch (error) {
      this.#parts.logs.workers.error(`a listener of shard ${item[0]} threw: ${messageOf(error)}`);
    }
  }

  /** Tells the thread how many dispatches and log lines were taken, so it may send more. */
  #acknowledge(worker: Worker, dispatches: number): void {
    const logs = this.#parts.logs.takeCount(worker);
    worker.postMessage({ type: 'ack', dispatches, logs } satisfies ToWorker);
  }
}
