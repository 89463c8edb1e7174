/** The contenders of the worker-threads benchmark, in table order (rounds rotate it). */
export const WORKER_CONTENDERS = [
  '1 worker',
  '1 worker (control)',
  '2 workers',
  '4 workers',
  'in-process',
] as const;

/** One contender's name. */
export type WorkerContender = (typeof WORKER_CONTENDERS)[number];

/** Worker threads of each contender; 0 runs the shards on the main thread. */
export const THREADS: Record<WorkerContender, number> = {
  '1 worker': 1,
  '1 worker (control)': 1,
  '2 workers': 2,
  '4 workers': 4,
  'in-process': 0,
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
