/**
 * `@bot/gateway/redis`: the pieces that let one bot run across processes and machines, on Redis.
 * Needs the optional peer dependency `ioredis` (5.x); `@bot/gateway` itself never loads it.
 */
export { RedisIdentifyQueue, type RedisIdentifyQueueOptions } from './identify/RedisIdentifyQueue.js';
export { RedisKeys, DEFAULT_KEY_PREFIX, type RedisNamespace } from './RedisKeys.js';
export { RedisOperationError, type RedisOperationErrorOptions } from './RedisOperationError.js';
export { StoredIdentifyStateError } from './identify/StoredIdentifyStateError.js';
export type { RetryPolicy } from './support/retry.js';
export {
  RedisShardLeases,
  DEFAULT_SHARD_LEASE_TTL_MS,
  type RedisShardLeasesOptions,
} from './lease/RedisShardLeases.js';
export { ShardLeaseError, type ShardLeaseConflict } from './lease/ShardLeaseError.js';
export { ShardCountConflictError, type ShardCountConflict } from './lease/ShardCountConflictError.js';
export { RedisSessionStore, type RedisSessionStoreOptions } from './session/RedisSessionStore.js';
export type { PublishedSeqSource } from './session/PublishedSeqSource.js';
export type { SessionFence } from './session/SessionFence.js';
export { RedisEventPublisher } from './broker/RedisEventPublisher.js';
export type { DedupeStorage } from './broker/sequenceDedupe.js';
export type {
  IdleOptions,
  PublishOptions,
  RedisEventPublisherMetrics,
  RedisEventPublisherOptions,
} from './broker/RedisEventPublisherOptions.js';
export { RedisUnavailableError } from './support/RedisUnavailableError.js';
export { UnreadEventsTrimmedError } from './support/UnreadEventsTrimmedError.js';
export {
  UnpublishedEventError,
  type UnpublishedEventErrorOptions,
  type UnpublishedReason,
} from './broker/UnpublishedEventError.js';
export { DEFAULT_DEDUPE_WINDOW_MS, DEFAULT_SESSION_TTL_MS, REPLAY_MARGIN_MS } from './replayWindow.js';
export { RedisEventConsumer } from './broker/RedisEventConsumer.js';
export { UndeliverableEventError } from './broker/UndeliverableEventError.js';
export { UndecodableEventError } from './broker/UndecodableEventError.js';
export { UnfinishedEventsError } from './broker/UnfinishedEventsError.js';
export type { ConsumerStopOptions, RedisEventConsumerOptions } from './broker/RedisEventConsumerOptions.js';
export { connectRedis, type ConnectRedisOptions } from './connectRedis.js';
export { RedisEventBroker, type BrokerConsumerOptions } from './broker/RedisEventBroker.js';
