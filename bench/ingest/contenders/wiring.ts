import type { IngestJob } from '../job.js';

/** The bot's identity at the stream server (which accepts any), and the token it hands out. */
export const APP_ID = '102000000';
export const SECRET = 'BenchSecret0123456789abcdefghijk';
export const ACCESS_TOKEN = 'bench-access-token';

/** What the harness hands a contender: where to connect, whom to tell about READY and each event. */
export interface IngestProbe {
  /** The job: URLs and sizes. */
  job: IngestJob;
  /** Counts one dispatch that reached user code. */
  count: () => void;
  /** The session is READY (called once; later calls are ignored). */
  ready: () => void;
}

/** A contender: connects and starts counting; resolves once it is connecting. */
export type Contender = (probe: IngestProbe) => void | Promise<void>;
