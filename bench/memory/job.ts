/** Who holds the idle connections. */
export type FleetContender = 'bare ws' | 'bare ws (control)' | '@bot/gateway ShardManager';

/** What a memory child is asked to do: open `shards` connections, let them idle, and weigh them. */
export interface FleetJob {
  contender: FleetContender;
  /** Connections (shards) to open. */
  shards: number;
  /** Emulator gateway URL. */
  gatewayUrl: string;
  /** A valid access token for Identify. */
  accessToken: string;
  /** `max_concurrency` the emulator allows (all shards identify in one window). */
  maxConcurrency: number;
}

/** Memory the connections added, after garbage collection. */
export interface FleetResult {
  /** Heap used per connection, in bytes. */
  heapPerShard: number;
  /** Resident set size per connection, in bytes. */
  rssPerShard: number;
}
