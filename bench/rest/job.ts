/** The REST contenders, by the name the table shows, in the order each round runs them. */
export const REST_CONTENDERS = ['node:http (raw)', 'got (bare)', '@bot/http RestClient'] as const;

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
