/** What a pacing child is asked to do: start shards against the emulator and time them to READY. */
export interface PacingJob {
  /** Emulator REST base URL (`/gateway/bot` reports its `max_concurrency`). */
  restUrl: string;
  /** Emulator token endpoint. */
  tokenUrl: string;
  appId: string;
  secret: string;
  /** Shards to start. */
  shards: number;
  /** Identify window the shard manager paces by, in milliseconds. */
  windowMs: number;
}

/** How long startups took. */
export interface PacingResult {
  /** One shard, from `start()` to READY: the handshake no pacing can save. */
  singleMs: number;
  /** One shard again, timed the same way: the control, whose spread against `singleMs` is noise. */
  singleAgainMs: number;
  /** All shards, from `startShards()` until every one is READY. */
  allMs: number;
  /** Closes 4008 (identify too fast) the emulator sent: any at all means the pacing is wrong. */
  tooFast: number;
}
