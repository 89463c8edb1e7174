import type { ShardManager } from '../../manager/ShardManager.js';
import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import type { ShardState } from '../../shard/ShardState.js';
import type { RedisOperationError } from '../RedisOperationError.js';
import type { PublishOptions } from './RedisEventPublisherOptions.js';
import { messageOf, steadyNow } from '@bot/core';

/** Publishes one dispatch (`RedisEventPublisher.publish`). */
export type PublishDispatch = (
  payload: DispatchPayload,
  shardId: number,
  options: PublishOptions,
) => Promise<boolean>;

/**
 * Feeds every dispatch of a manager's shards to `publish`, with the shard count, reporting failed
 * tries at most once per `reportIntervalMs` and every event that did not reach the stream.
 *
 * @returns stops feeding
 */
export function feedFromManager(
  manager: ShardManager,
  publish: PublishDispatch,
  report: (error: Error, shardId: number) => void,
  reportIntervalMs: number,
): () => void {
  /** When a failed try was last reported, on the steady clock. */
  let lastRetryReport = Number.NEGATIVE_INFINITY;
  const reportRetry = (error: Error, shardId: number): void => {
    if (steadyNow() - lastRetryReport < reportIntervalMs) return;
    lastRetryReport = steadyNow();
    report(error, shardId);
  };
  // Looked up once per connection: `manager.shards` builds a new map on every call.
  const shardCounts = new Map<number, number | undefined>();
  const onState = (state: ShardState, _previous: ShardState, shardId: number): void => {
    if (state === 'connecting') shardCounts.delete(shardId);
  };
  const onDispatch = (payload: DispatchPayload, shardId: number): void => {
    if (!shardCounts.has(shardId)) shardCounts.set(shardId, manager.shards.get(shardId)?.total);
    const options = {
      shardCount: shardCounts.get(shardId),
      onRetry: (error: RedisOperationError) => reportRetry(error, shardId),
    };
    publish(payload, shardId, options).catch((error: unknown) =>
      report(error instanceof Error ? error : new Error(messageOf(error)), shardId),
    );
  };
  manager.on('state', onState);
  manager.on('dispatch', onDispatch);
  return () => {
    manager.off('dispatch', onDispatch);
    manager.off('state', onState);
  };
}
