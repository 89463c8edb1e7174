/**
 * Under `exactOptionalPropertyTypes` a bot forwards `number | undefined` read from its config
 * into our options; every optional input option accepts an explicit `undefined`, read as the
 * option left out.
 */
import type { Redis } from 'ioredis';
import { expectTypeOf, test } from 'vitest';
import {
  Shard,
  ShardManager,
  WebhookReceiver,
  workerThreads,
  type BudgetWaitReports,
  type IdentifyQueue,
  type ReconnectBackoffOptions,
  type SendLimitOptions,
  type ShardBehaviour,
  type ShardCloseOptions,
  type ShardManagerOptions,
  type ShardOptions,
  type ShardTimeouts,
  type ShutdownOptions,
  type TokenSource,
  type WebhookReceiverOptions,
  type WorkerThreadsOptions,
} from '@bot/gateway';
import {
  RedisEventBroker,
  RedisEventConsumer,
  RedisEventPublisher,
  RedisIdentifyQueue,
  RedisSessionStore,
  RedisShardLeases,
  type RedisEventConsumerOptions,
  type RedisIdentifyQueueOptions,
  type RedisNamespace,
  type RedisSessionStoreOptions,
  type RedisShardLeasesOptions,
  type RetryPolicy,
} from '@bot/gateway/redis';
import type { IdentifyLimits } from '../src/identify/IdentifyQueue.js';
import type { RedisEventPublisherOptions } from '../src/redis/broker/RedisEventPublisherOptions.js';

/** The optional keys of `T`. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/**
 * The optional keys of `T` that refuse an explicit `undefined` (`T[K]` reads as `| undefined` either
 * way, so the check assigns `{ K: undefined }`): `never` when there is none.
 */
type RefusingUndefined<T> = {
  [K in OptionalKeys<T>]-?: { [P in K]: undefined } extends Pick<T, K> ? never : K;
}[OptionalKeys<T>];

declare const redis: Redis;
declare const tokens: TokenSource;
declare const identifyQueue: IdentifyQueue;
declare const gateway: ShardManagerOptions['gateway'];

test('no optional input option refuses undefined', () => {
  expectTypeOf<RefusingUndefined<ShardManagerOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ShardOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ShardBehaviour>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ShardTimeouts>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ReconnectBackoffOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<SendLimitOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ShutdownOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ShardCloseOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<IdentifyLimits>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<BudgetWaitReports>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<WebhookReceiverOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<NonNullable<WebhookReceiverOptions['limits']>>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RedisNamespace>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RetryPolicy>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RedisIdentifyQueueOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RedisSessionStoreOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RedisShardLeasesOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RedisEventPublisherOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RedisEventConsumerOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<WorkerThreadsOptions>>().toEqualTypeOf<never>();
});

test('ShardManager, its shutdown and a Shard take every optional option as undefined', async () => {
  const manager = new ShardManager({
    intents: 0,
    tokens,
    gateway,
    identifyQueue: undefined,
    identifyWindowMs: undefined,
    sessionStore: undefined,
    shardLeases: undefined,
    onFatal: undefined,
    shutdownTimeoutMs: undefined,
    strategy: undefined,
    onDispatch: undefined,
    protocol: undefined,
    closeCodes: undefined,
    presence: undefined,
    timeouts: {
      handshakeMs: undefined,
      helloMs: undefined,
      closeGraceMs: undefined,
      sessionStoreMs: undefined,
      sessionAnswerMs: undefined,
    },
    backoff: { baseMs: undefined, maxMs: undefined, stableAfterMs: undefined },
    sendLimit: { limit: undefined, windowMs: undefined, reserved: undefined, maxQueued: undefined },
    maxPayload: undefined,
    seqFlushDelayMs: undefined,
    maxAuthFailures: undefined,
    intentName: undefined,
    logger: undefined,
  });
  await manager.shutdown(0, { invalidateSessions: undefined, timeoutMs: undefined });
  const shard = new Shard({
    id: 0,
    total: 1,
    intents: 0,
    gatewayUrl: 'wss://gateway.invalid',
    tokens,
    identifyQueue,
    sessionStore: undefined,
    sessionStartTotal: undefined,
    onDispatch: undefined,
    presence: { status: 'online', activity: undefined },
  });
  await shard.close({ invalidateSession: undefined, graceMs: undefined });
});

test('WebhookReceiver takes every optional option and limit as undefined', () => {
  void new WebhookReceiver({
    secret: 's',
    appId: undefined,
    path: undefined,
    limits: {
      maxBodyBytes: undefined,
      maxBufferedBytes: undefined,
      headersTimeoutMs: undefined,
      bodyTimeoutMs: undefined,
      idleTimeoutMs: undefined,
      maxConnections: undefined,
      timestampToleranceSeconds: undefined,
    },
    busy: undefined,
    shuttingDown: undefined,
    refusalReportIntervalMs: undefined,
    dispatchAttempts: undefined,
    dispatchWaitMs: undefined,
    logger: undefined,
  });
});

test('the Redis queue, store, leases, publisher and consumer take every optional option as undefined', () => {
  const retry = { attempts: undefined, baseDelayMs: undefined, maxDelayMs: undefined, timeoutMs: undefined };
  const common = { appId: '1', prefix: undefined, logger: undefined, retry };
  void new RedisIdentifyQueue(redis, {
    ...common,
    limits: {
      maxConcurrency: 1,
      total: 1000,
      remaining: 1000,
      resetAfterMs: 0,
      windowMs: undefined,
      periodMs: undefined,
      marginMs: undefined,
    },
    leaseMs: undefined,
    clockSyncIntervalMs: undefined,
    onBudgetWait: undefined,
  });
  void new RedisSessionStore(redis, { ...common, ttlMs: undefined, publisher: undefined, leases: undefined });
  void new RedisShardLeases(redis, { ...common, ttlMs: undefined, owner: undefined });
  const publisherOptions = {
    ...common,
    maxLength: undefined,
    maxLag: undefined,
    trimIntervalMs: undefined,
    dedupeWindowMs: undefined,
    dedupeBy: undefined,
    maxBacklog: undefined,
    maxBacklogBytes: undefined,
    maxEntryBytes: undefined,
    deadLetterMaxLength: undefined,
  };
  void new RedisEventPublisher(redis, publisherOptions);
  const consumerOptions = {
    group: undefined,
    consumer: undefined,
    ordinal: undefined,
    batchSize: undefined,
    blockMs: undefined,
    claimIdleMs: undefined,
    claimIntervalMs: undefined,
    forgetConsumersIdleMs: undefined,
    maxDeliveries: undefined,
    groupStart: undefined,
    readTimeoutMs: undefined,
    backoff: undefined,
    logger: undefined,
  };
  void new RedisEventConsumer(redis, { ...consumerOptions, appId: '1', prefix: undefined });
  void new RedisEventBroker(redis, publisherOptions).consumer(consumerOptions);
});

test('workerThreads takes every optional option as undefined', () => {
  void workerThreads({
    workers: 1,
    maxRestarts: undefined,
    restartBaseMs: undefined,
    restartMaxMs: undefined,
    maxBatch: undefined,
    maxUnacked: undefined,
    workerScript: undefined,
    resourceLimits: undefined,
    unresponsiveMs: undefined,
    handler: undefined,
    handlerData: undefined,
    handlerTimeoutMs: undefined,
  });
});
