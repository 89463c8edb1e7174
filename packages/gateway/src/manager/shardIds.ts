import { idsOfStartCall, rangeCall } from './StartCall.js';

/** An inclusive range of shard ids: `{ from: 4, to: 7 }` is shards 4, 5, 6 and 7. */
export interface ShardRange {
  /** First shard id, included. */
  from: number;
  /** Last shard id, included. */
  to: number;
}

/**
 * Checks a shard count and a range within it, and lists the ids.
 *
 * @param range - both ends included
 * @param total - shard count
 * @throws {@link ValidationError} naming the wrong argument
 */
export function shardIdsInRange(range: ShardRange, total: number): number[] {
  return idsOfStartCall(rangeCall('shardIdsInRange', range, total), range, total);
}
