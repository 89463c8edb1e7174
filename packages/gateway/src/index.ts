export * from './protocol/GatewayProtocol.js';
export * from './protocol/qq.js';
// Wire types of this package's own signatures, defined in `@bot/core`.
export type { GatewayBotInfo, SessionStartLimit } from '@bot/core';
// The intents `Shard` and `ShardManager` take, defined in `@bot/core`.
export { Intents, IntentFlags, type IntentName } from '@bot/core';
export { GatewayError } from './errors/GatewayError.js';
export { SendQueueFullError } from './errors/SendQueueFullError.js';
export { ShutDownBeforeStartError } from './errors/ShutDownBeforeStartError.js';
export { StartClashError, type StartClash } from './errors/StartClashError.js';
export type { StartCall } from './manager/StartCall.js';
export { FatalGatewayError, type FatalGatewayErrorOptions } from './errors/FatalGatewayError.js';
export { FrameTooLargeError } from './errors/FrameTooLargeError.js';
export { IntentsRefusedError, describeIntents, type IntentsRefusal } from './errors/IntentsRefusedError.js';
export { Shard } from './shard/Shard.js';
export { SEQ_JUMP_LIMIT, SEQ_STEP_LIMIT, SequenceCheck, type SeqVerdict } from './shard/SequenceCheck.js';
export { DEFAULT_PAUSE_HOLDER, type PauseHolder } from './shard/PauseHolders.js';
export type { ShardEvents, ShardCloseOptions } from './shard/ShardEvents.js';
export type { ShardOptions, ShardBehaviour, ShardTimeouts } from './shard/ShardOptions.js';
export type {
  IdentifyPause,
  ShardState,
  ShardStatus,
  ShardCloseEvent,
  ShardCloseSession,
} from './shard/ShardState.js';
export type { SessionEnding } from './shard/recovery.js';
export type { TokenSource } from './shard/TokenSource.js';
export { Backoff, type ReconnectBackoffOptions } from './shard/Backoff.js';
export { SendLimiter, type SendLimitOptions } from './shard/SendLimiter.js';
export { ConnectionClosedError } from './shard/ConnectionClosedError.js';
export { Heartbeater, type HeartbeatHooks } from './shard/Heartbeater.js';
export {
  identifyLimitsFrom,
  validateIdentifyLimits,
  DEFAULT_IDENTIFY_WINDOW_MS,
  DEFAULT_BUDGET_PERIOD_MS,
  MIN_IDENTIFY_MARGIN_MS,
  identifyMarginMs,
  type IdentifyQueue,
  type IdentifyLimits,
} from './identify/IdentifyQueue.js';
export {
  InMemoryIdentifyQueue,
  type InMemoryIdentifyQueueReports,
} from './identify/InMemoryIdentifyQueue.js';
export type { BudgetWaitReports } from './identify/BudgetWaitReports.js';
export { SessionStartsUsedUpError } from './identify/SessionStartsUsedUpError.js';
export type { SessionInfo, SessionStore } from './session/SessionStore.js';
export { InMemorySessionStore } from './session/InMemorySessionStore.js';
export { SessionWriteTimeoutError, type SessionWriteOperation } from './session/SessionWriteTimeoutError.js';
export { StoredSessionMalformedError } from './session/StoredSessionMalformedError.js';
export { ShardManager, type ShardManagerEvents } from './manager/ShardManager.js';
export type { ShardManagerOptions, FatalPolicy } from './manager/ShardManagerOptions.js';
export type { ShutdownOptions } from './manager/shutdown.js';
export type { ShardLease, ShardLeases } from './manager/ShardLeases.js';
export type { ShardFatalError, ShardHandle } from './manager/ShardHandle.js';
export { inProcessShards, type ShardStrategy, type ShardContext } from './manager/ShardStrategy.js';
export {
  workerThreads,
  WorkerThreadsStrategy,
  type WorkerThreadsOptions,
  type WorkerThreadInfo,
} from './workers/WorkerThreadsStrategy.js';
export { WorkerRestartsExhaustedError } from './workers/WorkerRestartsExhaustedError.js';
export {
  defineThreadHandler,
  type ThreadDispatchHandler,
  type ThreadHandlerContext,
  type ThreadHandlerSetup,
} from './workers/ThreadHandler.js';
export { ThreadHandlerError } from './workers/ThreadHandlerError.js';
export { ThreadClientError, type ReportedFailure } from './workers/ThreadClientError.js';
export {
  ThreadUnresponsiveError,
  type UnresponsivePhase,
  type UnresponsiveThread,
} from './workers/ThreadUnresponsiveError.js';
export { ThreadMessageError, type RefusedMessageContext } from './workers/ThreadMessageError.js';
export {
  MAX_THREAD_REPORTS_PER_WINDOW,
  reportToMainThread,
  shardIntentsOfThisThread,
  THREAD_REPORT_WINDOW_MS,
} from './workers/threadClientLink.js';
export { RemoteBotError, type WireField } from './workers/RemoteBotError.js';
export {
  gatewayInfoFromRest,
  type GatewayInfoSource,
  type RestRequester,
} from './manager/GatewayInfoSource.js';
export { checkGatewayBotInfo } from './manager/checkGatewayBotInfo.js';
export { shardIdsInRange, type ShardRange } from './manager/shardIds.js';
export {
  WebhookReceiver,
  type WebhookReceiverOptions,
  type WebhookReceiverEvents,
} from './webhook/WebhookReceiver.js';
export type { WebhookServer } from './webhook/webhookServer.js';
export { WebhookSigner, webhookSeed } from './webhook/WebhookSigner.js';
export { DEFAULT_WEBHOOK_LIMITS, type WebhookLimits } from './webhook/WebhookLimits.js';
export {
  WebhookRefusedError,
  WEBHOOK_REFUSAL_STATUS,
  type WebhookRefusal,
} from './webhook/WebhookRefusedError.js';
export { WebhookRefusalsError } from './webhook/WebhookRefusalsError.js';
export type { DispatchSink, EventSource, SourceErrorReporter } from './transport/EventSource.js';
