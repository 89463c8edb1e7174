/**
 * The REST contenders, by the name the table shows, in table order (rounds rotate it). Raw
 * `node:http` (the floor below `got`) is not measured by default: it would cost a fifth of the
 * suite's time and no target is set against it (`--rest-floor` adds it).
 */
export const REST_CONTENDERS = [
  'got (bare)',
  'got (bare, control)',
  '@bot/http RestClient',
  '@bot/http RestClient, callSites: true',
  'node:http (raw)',
] as const;

/** One contender's name. */
export type RestContender = (typeof REST_CONTENDERS)[number];

/** What a REST child is asked to do: send requests to the bench server and count the answers. */
export interface RestJob {
  contender: RestContender;
  /** Bench server base URL; it also serves the token endpoint. */
  baseUrl: string;
  /** Requests before the clock starts. */
  warmup: number;
  /** Requests measured. */
  requests: number;
  /** Requests in flight at once. */
  concurrency: number;
}
