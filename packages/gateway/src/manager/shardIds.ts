import { ValidationError } from '@bot/http';
import { requireInteger } from '../util/requireInteger.js';

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
  requireInteger('total', total, 1);
  requireInteger('from', range.from, 0);
  requireInteger('to', range.to, 0);
  if (range.from > range.to)
    throw new ValidationError('from', `must not exceed to (${range.from} > ${range.to})`);
  if (range.to >= total) {
    throw new ValidationError(
      'to',
      `must be below the shard count ${total} (got ${range.to}; ids start at 0)`,
    );
  }
  return Array.from({ length: range.to - range.from + 1 }, (_, index) => range.from + index);
}
