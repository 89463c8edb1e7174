/**
 * How the events of one shard are run against the handlers.
 *
 * - `sequential`: one event at a time per shard, in arrival order; the next waits until every
 *   handler of the previous one has finished. Choose it when handlers depend on event order.
 * - `concurrent` (default): up to `limit` events of one shard run at once (64 by default); an event
 *   starts in arrival order but may finish before an earlier one. Shards never wait for each other,
 *   and heartbeats never wait for handlers under either policy.
 */
export type DispatchPolicy = { mode: 'sequential' } | { mode: 'concurrent'; limit?: number };

/** The default policy: concurrent, 64 events in flight per shard. */
export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = { mode: 'concurrent', limit: 64 };

/**
 * Events of one shard the policy runs at once: 1 when sequential, the limit (64 by default) when
 * concurrent.
 *
 * @param policy - the dispatch policy
 */
export function concurrencyOf(policy: DispatchPolicy): number {
  return policy.mode === 'sequential' ? 1 : Math.max(1, policy.limit ?? 64);
}
