import type { ToWorker } from './messages.js';
import type { WorkerShard } from './WorkerShard.js';

/** What a `WorkerShard` needs of the thread that runs it. */
export interface WorkerLink {
  /** Gives the thread the shard to run again, once a close has detached it. */
  attach(shard: WorkerShard): void;
  /** Sends a message to the thread; `false` when no thread runs right now (one is being restarted). */
  post(message: ToWorker): boolean;
  /** A number for a call to the thread. */
  nextCall(): number;
  /** The shard is closed: the thread may stop once none is left. */
  detach(id: number): void;
  /** The thread failed to answer in time: it is stopped and handled as one that exited. */
  unresponsive(reason: string): void;
}
