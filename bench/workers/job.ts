/** The contenders of the worker-threads benchmark, in table order (rounds rotate it). */
export const WORKER_CONTENDERS = [
  '1 thread',
  '1 thread (control)',
  '2 threads',
  '4 threads',
  '2 threads, handler on the main thread',
  'in-process',
] as const;

/** One contender's name. */
export type WorkerContender = (typeof WORKER_CONTENDERS)[number];

/** Where a contender's shards and handler run. */
export interface Placement {
  /** Worker threads; 0 runs the shards on the main thread. */
  threads: number;
  /** Whether the handler runs on the worker threads (`workerThreads({ handler })`) or on the main thread. */
  handlerOnThreads: boolean;
}

/** Where each contender runs its shards and its handler. */
export const PLACEMENT: Record<WorkerContender, Placement> = {
  '1 thread': { threads: 1, handlerOnThreads: true },
  '1 thread (control)': { threads: 1, handlerOnThreads: true },
  '2 threads': { threads: 2, handlerOnThreads: true },
  '4 threads': { threads: 4, handlerOnThreads: true },
  '2 threads, handler on the main thread': { threads: 2, handlerOnThreads: false },
  'in-process': { threads: 0, handlerOnThreads: false },
};

/** What a child of the worker-threads benchmark is asked to do. */
export interface WorkersJob {
  contender: WorkerContender;
  /** Stream server's `/gateway/bot` base URL. */
  restUrl: string;
  /** Shards the manager runs (the stream server recommends as many). */
  shards: number;
  /** Dispatches, over every shard, before the clock starts. */
  warmup: number;
  /** Dispatches measured, over every shard. */
  events: number;
  /** CPU time the handler spends on each event, in microseconds. */
  handlerMicros: number;
}
